using System.Security.Cryptography;
using CloudIntegration.Native.OpenSsl;

namespace CloudIntegration.KeyStores.SoftwareWorld;

/// <summary>
/// Ed25519 private keys in the form Google Cloud KMS and Vault import: PKCS#8 (RFC 8410), which is a fixed prefix and
/// the 32-byte seed. .NET has no Ed25519, so the one step that needs curve arithmetic (the public key, for the
/// fingerprint and <c>keys show</c>) is asked of OpenSSL's libcrypto, which .NET itself already loads for all its
/// cryptography on Linux. The seed comes from the OS CSPRNG like every other key.
/// </summary>
static class Ed25519Keys
{
    public const int SeedBytes = Ed25519.SeedBytes;

    /// <summary>PrivateKeyInfo { version 0, AlgorithmIdentifier { id-Ed25519 }, OCTET STRING { OCTET STRING seed } }.</summary>
    static ReadOnlySpan<byte> Pkcs8Prefix => [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

    /// <summary>SubjectPublicKeyInfo { AlgorithmIdentifier { id-Ed25519 }, BIT STRING public key }.</summary>
    static ReadOnlySpan<byte> SpkiPrefix => [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

    public static int Pkcs8Length => Pkcs8Prefix.Length + SeedBytes;

    /// <summary>A new key: pinned PKCS#8 (the caller zeroes it) and its SubjectPublicKeyInfo.</summary>
    public static byte[] Generate(out byte[] subjectPublicKeyInfo)
    {
        var pkcs8 = GC.AllocateArray<byte>(Pkcs8Length, pinned: true);
        Pkcs8Prefix.CopyTo(pkcs8);
        RandomNumberGenerator.Fill(pkcs8.AsSpan(Pkcs8Prefix.Length));
        try
        {
            subjectPublicKeyInfo = PublicKeyOf(pkcs8);
            return pkcs8;
        }
        catch
        {
            CryptographicOperations.ZeroMemory(pkcs8);
            throw;
        }
    }

    /// <summary>The SubjectPublicKeyInfo of a PKCS#8 Ed25519 key, computed by libcrypto.</summary>
    public static byte[] PublicKeyOf(ReadOnlySpan<byte> pkcs8)
    {
        if (pkcs8.Length != Pkcs8Length || !pkcs8.StartsWith(Pkcs8Prefix))
        {
            throw new CryptographicException("not an RFC 8410 Ed25519 private key");
        }
        var seed = GC.AllocateArray<byte>(SeedBytes, pinned: true);
        try
        {
            pkcs8[Pkcs8Prefix.Length..].CopyTo(seed);
            var spki = new byte[SpkiPrefix.Length + Ed25519.PublicKeyBytes];
            SpkiPrefix.CopyTo(spki);
            Ed25519.PublicKeyOf(seed).CopyTo(spki, SpkiPrefix.Length);
            return spki;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }
}
