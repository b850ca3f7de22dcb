using System.Security.Cryptography;
using CloudIntegration.Native.OpenSsl;

namespace CloudIntegration.Keys;

/// <summary>
/// The check value of a secret key: three bytes that identify it without revealing it, compared with what the HSM or
/// the provider shows. AES uses the standard KCV; HMAC keys have no standard one, so this tool defines it the same way
/// with the key's own function: the first 3 bytes of HMAC-hash(key, 16 zero bytes). Both are reproducible with openssl
/// (see the README, "Check values").
/// </summary>
public static class KeyCheckValue
{
    const int Length = 3;

    public static byte[] Of(KeyType type, ReadOnlySpan<byte> key)
    {
        ReadOnlySpan<byte> zeroBlock = stackalloc byte[16];
        switch (type.Family)
        {
            case KeyFamily.Aes:
            {
                using var aes = Aes.Create();
                aes.SetKey(key);
                return aes.EncryptEcb(zeroBlock, PaddingMode.None)[..Length];
            }
            case KeyFamily.Hmac:
            {
                var hash = type.HmacHash ?? throw new ArgumentException($"{type.Name} names no hash", nameof(type));
                // .NET has no SHA-224; libcrypto computes it, proven by known answers first (Native/OpenSsl/Sha224.cs).
                if (type == KeyType.HmacSha224) return Sha224.Hmac(key, zeroBlock)[..Length];
                using var hmac = IncrementalHash.CreateHMAC(hash, key);
                hmac.AppendData(zeroBlock);
                return hmac.GetHashAndReset()[..Length];
            }
            case KeyFamily.Rsa or KeyFamily.Ec or KeyFamily.Ed25519:
                throw new ArgumentException($"{type.Name} is identified by its public key, not a check value", nameof(type));
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type.Family, "unknown key family");
        }
    }

    /// <summary>How the check value was computed, for the reports.</summary>
    public static string Describe(KeyType type) => type.Family switch
    {
        KeyFamily.Aes => "AES-ECB of a zero block, first 3 bytes",
        KeyFamily.Hmac => $"{type.Name} of a 16-byte zero block, first 3 bytes",
        KeyFamily.Rsa or KeyFamily.Ec or KeyFamily.Ed25519 => throw new ArgumentException($"{type.Name} has no check value", nameof(type)),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type.Family, "unknown key family"),
    };
}
