using System.Security.Cryptography;
using CloudIntegration.Keys;

namespace CloudIntegration.KeyStores.SoftwareWorld;

/// <summary>
/// Generates key material with the OS CSPRNG (AES) or OpenSSL key generation (RSA, EC). The material is the form the
/// providers import: raw bytes for AES, DER PKCS#8 PrivateKeyInfo for RSA and EC (named curve, public key included).
/// </summary>
static class SoftwareKeyGenerator
{
    /// <summary>Returns pinned plaintext material (the caller zeroes it) and the public facts about it.</summary>
    public static byte[] Generate(KeyType type, out byte[]? publicKey, out byte[]? checkValue)
    {
        publicKey = null;
        checkValue = null;
        switch (type.Family)
        {
            case KeyFamily.Aes:
            {
                var key = GC.AllocateArray<byte>(type.Bits / 8, pinned: true);
                RandomNumberGenerator.Fill(key);
                checkValue = CheckValue(key);
                return key;
            }
            case KeyFamily.Rsa:
            {
                using var rsa = RSA.Create(type.Bits);
                publicKey = rsa.ExportSubjectPublicKeyInfo();
                return Pinned(rsa.ExportPkcs8PrivateKey());
            }
            case KeyFamily.Ec:
            {
                using var ec = ECDsa.Create(type.Curve);
                publicKey = ec.ExportSubjectPublicKeyInfo();
                return Pinned(ec.ExportPkcs8PrivateKey());
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type.Name, "unknown key family");
        }
    }

    /// <summary>The standard AES key check value: the first 3 bytes of AES-ECB(key, 16 zero bytes).</summary>
    public static byte[] CheckValue(ReadOnlySpan<byte> aesKey)
    {
        using var aes = Aes.Create();
        aes.SetKey(aesKey);
        Span<byte> block = stackalloc byte[16];
        block.Clear();
        return aes.EncryptEcb(block, PaddingMode.None)[..3];
    }

    static byte[] Pinned(byte[] unpinned)
    {
        var pinned = GC.AllocateArray<byte>(unpinned.Length, pinned: true);
        unpinned.CopyTo(pinned, 0);
        CryptographicOperations.ZeroMemory(unpinned);
        return pinned;
    }
}
