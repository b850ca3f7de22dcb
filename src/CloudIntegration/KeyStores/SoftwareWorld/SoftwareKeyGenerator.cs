using System.Security.Cryptography;
using CloudIntegration.Keys;

namespace CloudIntegration.KeyStores.SoftwareWorld;

/// <summary>
/// Generates key material with the OS CSPRNG (AES, HMAC, the Ed25519 seed) or OpenSSL key generation (RSA, EC). The
/// material is the form the providers import: raw bytes for AES and HMAC, DER PKCS#8 PrivateKeyInfo for RSA, EC (named
/// curve, public key included) and Ed25519 (RFC 8410).
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
            case KeyFamily.Aes or KeyFamily.Hmac:
            {
                var key = GC.AllocateArray<byte>(type.SecretBytes, pinned: true);
                RandomNumberGenerator.Fill(key);
                checkValue = KeyCheckValue.Of(type, key);
                return key;
            }
            case KeyFamily.Ed25519:
            {
                var key = Ed25519Keys.Generate(out var spki);
                publicKey = spki;
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

    static byte[] Pinned(byte[] unpinned)
    {
        var pinned = GC.AllocateArray<byte>(unpinned.Length, pinned: true);
        unpinned.CopyTo(pinned, 0);
        CryptographicOperations.ZeroMemory(unpinned);
        return pinned;
    }
}
