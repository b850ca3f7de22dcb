using System.Security.Cryptography;

namespace CloudIntegration.Native.OpenSsl;

/// <summary>
/// The one Ed25519 operation the tool needs: the public key of a 32-byte seed (for fingerprints and <c>keys show</c>).
/// .NET has none, so libcrypto computes it, and only after reproducing RFC 8032's first test vector. Until that holds,
/// <see cref="Unavailable"/> says why (no libcrypto, as on Windows), and Ed25519 keys are refused by name before
/// anything is generated.
/// </summary>
public static class Ed25519
{
    public const int SeedBytes = 32;
    public const int PublicKeyBytes = 32;

    /// <summary>RFC 8032 section 7.1, TEST 1: the secret key and the public key it gives.</summary>
    const string KnownSeed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    const string KnownPublicKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    static readonly Lazy<string?> Proof = new(SelfTest, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Null when Ed25519 works here and passed its known answer; otherwise why not, as a clause for an error.</summary>
    public static string? Unavailable => Proof.Value;

    /// <summary>The raw 32-byte public key of <paramref name="seed"/>.</summary>
    public static byte[] PublicKeyOf(byte[] seed)
    {
        if (Unavailable is { } why) throw new PlatformNotSupportedException($"Ed25519 is not available: {why}");
        return PublicKeyUnproven(seed);
    }

    static string? SelfTest()
    {
        try
        {
            return Convert.FromHexString(KnownPublicKey).AsSpan().SequenceEqual(PublicKeyUnproven(Convert.FromHexString(KnownSeed)))
                ? null
                : "OpenSSL's libcrypto gave a wrong Ed25519 public key (RFC 8032 test 1)";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return "OpenSSL 3's libcrypto (libcrypto.so.3), which provides it here, was not found";
        }
        catch (CryptographicException e)
        {
            return $"OpenSSL's libcrypto failed the Ed25519 known-answer test ({e.Message.TrimEnd('.')})";
        }
    }

    static byte[] PublicKeyUnproven(byte[] seed)
    {
        if (seed.Length != SeedBytes) throw new CryptographicException("an Ed25519 seed is 32 bytes");
        var pkey = LibCrypto.NewRawPrivateKey(LibCrypto.Ed25519, IntPtr.Zero, seed, (nuint)seed.Length);
        if (pkey == IntPtr.Zero) throw new CryptographicException("OpenSSL refused the Ed25519 key (EVP_PKEY_new_raw_private_key)");
        try
        {
            var raw = new byte[PublicKeyBytes];
            var length = (nuint)raw.Length;
            if (LibCrypto.GetRawPublicKey(pkey, raw, ref length) != 1 || length != PublicKeyBytes)
            {
                throw new CryptographicException("OpenSSL could not compute the Ed25519 public key (EVP_PKEY_get_raw_public_key)");
            }
            return raw;
        }
        finally
        {
            LibCrypto.FreeKey(pkey);
        }
    }
}
