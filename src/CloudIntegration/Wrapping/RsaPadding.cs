using System.Security.Cryptography;
using CloudIntegration.Native.OpenSsl;

namespace CloudIntegration.Wrapping;

/// <summary>
/// A hash as each party names it: .NET, the PKCS#11 token (the CKM_ hash mechanism and the CKG_MGF1_ generator of
/// the OAEP parameters), and the short lower-case name openssl and gcloud use (<c>sha256</c>). The PKCS#11 numbers are
/// the specification's, kept here as numbers so that the wrapping layer does not depend on the native binding.
/// </summary>
public sealed class OaepHash
{
    OaepHash(string name, string shortName, HashAlgorithmName dotNet, int bytes, ulong pkcs11Mechanism, ulong pkcs11Mgf)
    {
        Name = name;
        ShortName = shortName;
        DotNet = dotNet;
        Bytes = bytes;
        Pkcs11Mechanism = pkcs11Mechanism;
        Pkcs11Mgf = pkcs11Mgf;
    }

    public string Name { get; }
    public string ShortName { get; }
    public HashAlgorithmName DotNet { get; }
    public int Bytes { get; }
    public ulong Pkcs11Mechanism { get; }
    public ulong Pkcs11Mgf { get; }

    public static readonly OaepHash Sha1 = new("SHA-1", "sha1", HashAlgorithmName.SHA1, 20, pkcs11Mechanism: 0x220, pkcs11Mgf: 0x1);
    public static readonly OaepHash Sha224 = new("SHA-224", "sha224", new HashAlgorithmName("SHA224"), Native.OpenSsl.Sha224.Bytes, pkcs11Mechanism: 0x255, pkcs11Mgf: 0x5);
    public static readonly OaepHash Sha256 = new("SHA-256", "sha256", HashAlgorithmName.SHA256, 32, pkcs11Mechanism: 0x250, pkcs11Mgf: 0x2);
    public static readonly OaepHash Sha384 = new("SHA-384", "sha384", HashAlgorithmName.SHA384, 48, pkcs11Mechanism: 0x260, pkcs11Mgf: 0x3);
    public static readonly OaepHash Sha512 = new("SHA-512", "sha512", HashAlgorithmName.SHA512, 64, pkcs11Mechanism: 0x270, pkcs11Mgf: 0x4);

    public static IReadOnlyList<OaepHash> All { get; } = [Sha1, Sha224, Sha256, Sha384, Sha512];

    public override string ToString() => Name;
}

/// <summary>
/// An RSA encryption padding with everything about it: how .NET and a PKCS#11 token apply it, how large a message it
/// carries, and how it is described. OAEP always uses the same hash for MGF1 as for the label, and an empty label,
/// as every provider expects. A padding without an OAEP hash is PKCS#1 v1.5, the only other RSA encryption scheme.
/// </summary>
public sealed class RsaPadding
{
    RsaPadding(string description, RSAEncryptionPadding dotNet, OaepHash? oaep, int overheadBytes)
    {
        Description = description;
        DotNet = dotNet;
        Oaep = oaep;
        OverheadBytes = overheadBytes;
    }

    public string Description { get; }
    public RSAEncryptionPadding DotNet { get; }

    /// <summary>The OAEP and MGF1 hash; null for PKCS#1 v1.5.</summary>
    public OaepHash? Oaep { get; }

    /// <summary>What the padding adds to a message (RFC 8017: 2 hLen + 2 for OAEP, 11 for v1.5).</summary>
    int OverheadBytes { get; }

    /// <summary>The largest message the padding can carry under a modulus of this many bytes.</summary>
    public int MaxMessageBytes(int modulusBytes) => modulusBytes - OverheadBytes;

    public static readonly RsaPadding OaepSha1 = OaepWith(OaepHash.Sha1);
    public static readonly RsaPadding OaepSha224 = OaepWith(OaepHash.Sha224);
    public static readonly RsaPadding OaepSha256 = OaepWith(OaepHash.Sha256);
    public static readonly RsaPadding OaepSha384 = OaepWith(OaepHash.Sha384);
    public static readonly RsaPadding OaepSha512 = OaepWith(OaepHash.Sha512);
    public static readonly RsaPadding Pkcs1V15 = new("RSA PKCS#1 v1.5", RSAEncryptionPadding.Pkcs1, null, 11);

    /// <summary>
    /// Encrypts under <paramref name="rsa"/>'s public key. .NET has no SHA-224, so OAEP-SHA-224 is libcrypto's, proven by
    /// known answers before first use (Native/OpenSsl/Sha224.cs); every other padding is .NET's.
    /// </summary>
    public byte[] Encrypt(RSA rsa, ReadOnlySpan<byte> message) => Oaep == OaepHash.Sha224
        ? Native.OpenSsl.Sha224.OaepEncrypt(rsa.ExportSubjectPublicKeyInfo(), message)
        : rsa.Encrypt(message, DotNet);

    /// <summary>Decrypts with <paramref name="rsa"/>'s private key (a throwaway one's); null when the ciphertext does not decode.</summary>
    public byte[]? TryDecrypt(RSA rsa, byte[] ciphertext)
    {
        if (Oaep == OaepHash.Sha224)
        {
            var pkcs8 = rsa.ExportPkcs8PrivateKey();
            try
            {
                return Native.OpenSsl.Sha224.OaepDecrypt(pkcs8, ciphertext);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pkcs8);
            }
        }
        try
        {
            return rsa.Decrypt(ciphertext, DotNet);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public static IReadOnlyList<RsaPadding> All { get; } = [OaepSha256, OaepSha1, Pkcs1V15, OaepSha224, OaepSha384, OaepSha512];

    static RsaPadding OaepWith(OaepHash hash) =>
        new($"RSA-OAEP with {hash.Name} and MGF1-{hash.Name}", RSAEncryptionPadding.CreateOaep(hash.DotNet), hash, 2 * hash.Bytes + 2);

    public override string ToString() => Description;
}
