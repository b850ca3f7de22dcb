using System.Security.Cryptography;
using CloudIntegration.Credentials;
using CloudIntegration.Errors;

namespace CloudIntegration.KeyStores.SoftwareWorld.Protections;

/// <summary>
/// Turns a passphrase into a 32-byte AES-256-GCM key: PBKDF2-HMAC-SHA256 with a random 16-byte salt and 600,000
/// iterations (OWASP's 2023 figure for PBKDF2-HMAC-SHA256). The iteration count is stored with each file and may be
/// raised later; a file asking for fewer than <see cref="MinimumIterations"/> is refused, so nobody can weaken a
/// softcard or card by editing it. There is deliberately no way, test or otherwise, to lower the cost.
/// <para>
/// A passphrase is the UTF-8 bytes as typed (or as the line of the secrets file holds them), without Unicode
/// normalisation: the same characters typed on a different keyboard layout may be different bytes.
/// </para>
/// </summary>
public static class PassphraseKdf
{
    public const string Algorithm = "pbkdf2-hmac-sha256";
    public const int Iterations = 600_000;
    public const int MinimumIterations = 600_000;
    /// <summary>A file claiming more than this is damaged: it would keep the tool busy for minutes per attempt.</summary>
    public const int MaximumIterations = 50_000_000;
    public const int SaltBytes = 16;
    public const int KeyBytes = 32;
    public const int MinimumCharacters = 8;

    /// <summary>The derived key, pinned; the caller zeroes it. Costs the full iteration count every time.</summary>
    public static byte[] Derive(ReadOnlySpan<byte> passphrase, ReadOnlySpan<byte> salt, int iterations)
    {
        if (iterations < MinimumIterations) throw new ArgumentOutOfRangeException(nameof(iterations));
        var key = GC.AllocateArray<byte>(KeyBytes, pinned: true);
        Rfc2898DeriveBytes.Pbkdf2(passphrase, salt, key, iterations, HashAlgorithmName.SHA256);
        return key;
    }

    /// <summary>The number of characters in UTF-8 text: every byte that does not continue a multi-byte sequence.</summary>
    public static int Characters(ReadOnlySpan<byte> utf8)
    {
        var count = 0;
        foreach (var b in utf8) if ((b & 0xC0) != 0x80) count++;
        return count;
    }

    /// <summary>Asks for the passphrase of an existing softcard or card. <paramref name="what"/> names it, e.g. "softcard 'x'".</summary>
    public static byte[] ReadExisting(SecretSource source, string what) => source.Read($"passphrase for {what}");

    /// <summary>
    /// Asks for a new passphrase of at least <see cref="MinimumCharacters"/> characters. On a terminal it is asked
    /// twice and must match (three tries); from a file or piped input it is read once.
    /// </summary>
    public static byte[] ReadNew(SecretSource source, string what, TextWriter notices)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var first = source.Read($"new passphrase for {what} (at least {MinimumCharacters} characters)");
            string? problem = null;
            if (Characters(first) < MinimumCharacters)
            {
                problem = $"the passphrase for {what} is too short (at least {MinimumCharacters} characters are required)";
            }
            else if (source.IsInteractive)
            {
                byte[] second;
                try
                {
                    second = source.Read($"repeat the new passphrase for {what}");
                }
                catch
                {
                    CryptographicOperations.ZeroMemory(first);
                    throw;
                }
                var same = CryptographicOperations.FixedTimeEquals(first, second);
                CryptographicOperations.ZeroMemory(second);
                if (same) return first;
                problem = $"the two passphrases typed for {what} differ";
            }
            else
            {
                return first;
            }
            CryptographicOperations.ZeroMemory(first);
            if (!source.IsInteractive || attempt == attempts) throw RuntimeErrors.NewPassphraseRefused(problem);
            notices.WriteLine($"{problem}; try again");
        }
    }
}
