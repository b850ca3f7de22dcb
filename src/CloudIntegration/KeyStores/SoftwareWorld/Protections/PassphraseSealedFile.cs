using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CloudIntegration.IO;

namespace CloudIntegration.KeyStores.SoftwareWorld.Protections;

/// <summary>
/// The text format shared by softcard files and card files: one 32-byte secret sealed under a passphrase.
/// <code>
/// MAGIC                                   e.g. "cloud_integration_tool softcard v1"
/// {"name":...,...,"kdf":"pbkdf2-hmac-sha256","iterations":600000,"salt":"base64"}
/// base64(nonce(12) || AES-256-GCM ciphertext(32) || tag(16)), lines 1-2 as associated data
/// sha256:hex(SHA-256 of lines 1-3, newlines included)
/// </code>
/// The GCM key is PBKDF2 of the passphrase (<see cref="PassphraseKdf"/>). Lines 1-2 are the associated data, so every
/// header field (names, identifiers, card index, quorum, KDF parameters) is authenticated together with the secret:
/// change any of them and the right passphrase no longer opens the file. The last line is a plain checksum, no
/// secret involved: it lets the tool say "this file is damaged" for an accidental change before it asks for a
/// passphrase, instead of the ambiguous "wrong passphrase". (A deliberate forger can recompute it; the GCM tag is what
/// stops them.)
/// </summary>
public sealed class PassphraseSealedFile
{
    public const int SecretBytes = 32;
    const int NonceBytes = 12;
    const int TagBytes = 16;
    const string ChecksumPrefix = "sha256:";

    PassphraseSealedFile(JsonElement header, byte[] associatedData, byte[] sealedBytes, int iterations, byte[] salt)
    {
        Header = header;
        _associatedData = associatedData;
        _sealed = sealedBytes;
        Iterations = iterations;
        _salt = salt;
    }

    readonly byte[] _associatedData;
    readonly byte[] _sealed;
    readonly byte[] _salt;

    /// <summary>The JSON header. Not authenticated until <see cref="TryOpen"/> succeeds; only checked for damage.</summary>
    public JsonElement Header { get; }
    public int Iterations { get; }

    /// <summary>
    /// Makes a file: the fields <paramref name="writeFields"/> writes, then the KDF parameters with a fresh salt, then
    /// <paramref name="secret"/> sealed under <paramref name="passphrase"/>. Costs one key derivation.
    /// </summary>
    public static byte[] Create(string magic, Action<Utf8JsonWriter> writeFields, ReadOnlySpan<byte> passphrase, ReadOnlySpan<byte> secret)
    {
        if (secret.Length != SecretBytes) throw new ArgumentException("the secret must be 32 bytes", nameof(secret));
        var salt = RandomNumberGenerator.GetBytes(PassphraseKdf.SaltBytes);
        using var buffer = new MemoryStream();
        buffer.Write(Encoding.ASCII.GetBytes(magic + "\n"));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            writeFields(json);
            json.WriteString("kdf", PassphraseKdf.Algorithm);
            json.WriteNumber("iterations", PassphraseKdf.Iterations);
            json.WriteString("salt", Convert.ToBase64String(salt));
            json.WriteEndObject();
        }
        var associatedData = buffer.ToArray();

        var sealedBytes = new byte[NonceBytes + SecretBytes + TagBytes];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, NonceBytes));
        var key = PassphraseKdf.Derive(passphrase, salt, PassphraseKdf.Iterations);
        try
        {
            using var gcm = new AesGcm(key, TagBytes);
            gcm.Encrypt(sealedBytes.AsSpan(0, NonceBytes), secret, sealedBytes.AsSpan(NonceBytes, SecretBytes),
                        sealedBytes.AsSpan(NonceBytes + SecretBytes), associatedData);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        var body = Encoding.ASCII.GetString(associatedData) + "\n" + Convert.ToBase64String(sealedBytes) + "\n";
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(body)));
        return Encoding.ASCII.GetBytes(body + ChecksumPrefix + checksum + "\n");
    }

    public enum ParseResult { Ok, ForeignFormat, Damaged }

    /// <summary>Parses a file of the kind <paramref name="magic"/> names. <paramref name="problem"/> says what is wrong.</summary>
    public static ParseResult TryParse(byte[] file, string magic, out PassphraseSealedFile? parsed, out string problem)
    {
        parsed = null;
        problem = "";
        var text = Encoding.ASCII.GetString(file);
        if (!text.StartsWith(magic + "\n", StringComparison.Ordinal))
        {
            problem = $"it does not start with '{magic}'";
            return ParseResult.ForeignFormat;
        }
        var lines = text.Split('\n');
        if (lines.Length != 5 || lines[4].Length != 0 || !lines[3].StartsWith(ChecksumPrefix, StringComparison.Ordinal))
        {
            problem = "it does not have the four lines of the format";
            return ParseResult.Damaged;
        }
        var body = string.Join('\n', lines[..3]) + "\n";
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(body)));
        if (!string.Equals(lines[3][ChecksumPrefix.Length..], expected, StringComparison.Ordinal) ||
            file.Any(b => b > 0x7E || (b < 0x20 && b != (byte)'\n')))
        {
            problem = "its checksum does not match (the file was changed or corrupted)";
            return ParseResult.Damaged;
        }
        try
        {
            var sealedBytes = TextFormats.CanonicalBase64(lines[2]);
            using var json = JsonDocument.Parse(lines[1]);
            var header = json.RootElement.Clone();
            if (header.GetProperty("kdf").GetString() != PassphraseKdf.Algorithm) throw new FormatException("kdf");
            var iterations = header.GetProperty("iterations").GetInt32();
            var salt = TextFormats.CanonicalBase64(header.GetProperty("salt").GetString()!);
            if (iterations < PassphraseKdf.MinimumIterations || iterations > PassphraseKdf.MaximumIterations ||
                salt.Length < PassphraseKdf.SaltBytes || sealedBytes.Length != NonceBytes + SecretBytes + TagBytes)
            {
                problem = $"its key derivation parameters are outside what this tool accepts " +
                          $"({PassphraseKdf.MinimumIterations} to {PassphraseKdf.MaximumIterations} iterations, a salt of at least {PassphraseKdf.SaltBytes} bytes)";
                return ParseResult.Damaged;
            }
            parsed = new PassphraseSealedFile(header, Encoding.ASCII.GetBytes(lines[0] + "\n" + lines[1]), sealedBytes, iterations, salt);
            return ParseResult.Ok;
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            problem = "its header cannot be read";
            return ParseResult.Damaged;
        }
    }

    /// <summary>
    /// Derives the key from <paramref name="passphrase"/> (always paying the full KDF cost) and opens the secret into
    /// <paramref name="secret"/>. False, with <paramref name="secret"/> zeroed, when the passphrase is wrong or any
    /// authenticated byte was changed; the two cannot be told apart, by design of GCM.
    /// </summary>
    public bool TryOpen(ReadOnlySpan<byte> passphrase, Span<byte> secret)
    {
        if (secret.Length != SecretBytes) throw new ArgumentException("the secret must be 32 bytes", nameof(secret));
        var key = PassphraseKdf.Derive(passphrase, _salt, Iterations);
        try
        {
            using var gcm = new AesGcm(key, TagBytes);
            gcm.Decrypt(_sealed.AsSpan(0, NonceBytes), _sealed.AsSpan(NonceBytes, SecretBytes), _sealed.AsSpan(NonceBytes + SecretBytes),
                        secret, _associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(secret);
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The largest softcard or card file accepted; real ones are under 400 bytes.</summary>
    public const int MaxFileBytes = 16 * 1024;

    /// <summary>
    /// Reads a file of at most <see cref="MaxFileBytes"/>, without trusting its reported length (a card path could
    /// name a device or a pipe). Null, with <paramref name="problem"/> set, when it is larger.
    /// </summary>
    public static byte[]? ReadBounded(string path, out string problem)
    {
        var content = IO.BoundedFile.Read(path, MaxFileBytes);
        problem = content is null ? $"it is larger than {MaxFileBytes} bytes, so it is not a file of this tool" : "";
        return content;
    }

    /// <summary>A header string field, or null when it is missing or not a string.</summary>
    public string? Text(string field) =>
        Header.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A header integer field, or null when it is missing or not an integer.</summary>
    public int? Number(string field) =>
        Header.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;
}
