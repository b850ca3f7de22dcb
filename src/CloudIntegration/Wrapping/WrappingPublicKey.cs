using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using CloudIntegration.Errors;

namespace CloudIntegration.Wrapping;

/// <summary>
/// A cloud provider's RSA public wrapping key, validated. It carries only public values: the SubjectPublicKeyInfo,
/// the modulus and exponent (what a PKCS#11 token needs to import it), its size and its SHA-256 fingerprint.
/// </summary>
public sealed class WrappingPublicKey
{
    public const int MinimumBits = 2048;

    WrappingPublicKey(byte[] spki, byte[] modulus, byte[] exponent, string format, RSA rsa)
    {
        SubjectPublicKeyInfo = spki;
        Rsa = rsa;
        Modulus = modulus;
        Exponent = exponent;
        Format = format;
        Bits = (int)new BigInteger(modulus, isUnsigned: true, isBigEndian: true).GetBitLength();
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(spki));
    }

    public byte[] SubjectPublicKeyInfo { get; }
    /// <summary>Big-endian modulus without a leading zero byte.</summary>
    public byte[] Modulus { get; }
    public byte[] Exponent { get; }
    public int Bits { get; }
    public int ModulusBytes => (Bits + 7) / 8;
    /// <summary>SHA-256 of the DER SubjectPublicKeyInfo, lowercase hex (what <c>openssl dgst -sha256</c> prints).</summary>
    public string Fingerprint { get; }
    /// <summary>How the file was written: "PEM certificate", "DER SubjectPublicKeyInfo", ...</summary>
    public string Format { get; }
    public int StrengthBits => Keys.KeyType.RsaStrength(Bits);

    /// <summary>
    /// The key as the platform's RSA object, imported once when the file is read: an import costs far more than one
    /// encryption (OpenSSL's decoders), and a ceremony wraps hundreds of keys under the same wrapping key. Public values only.
    /// </summary>
    public RSA Rsa { get; }

    /// <summary>Reads and validates a wrapping key file; every problem becomes an error that names the file.</summary>
    public static WrappingPublicKey Load(string path, DateTime? now = null) =>
        WrappingKeyFileReader.Read(path, now ?? DateTime.UtcNow);

    /// <summary>OpenSSL's limit; no provider hands out a larger wrapping key.</summary>
    public const int MaximumBits = 16384;
    /// <summary>Larger public exponents are refused by OpenSSL for moduli over 3072 bits; providers use 65537.</summary>
    const int MaximumExponentBits = 64;

    /// <summary>
    /// Checks the PKCS#1 RSAPublicKey here, before the platform sees it, so that a key the platform would reject at
    /// encryption time (with a message this build does not carry) is refused with a reason: the modulus must be odd
    /// and 2048 to 16384 bits, the exponent odd, at least 3 and at most 64 bits.
    /// </summary>
    internal static WrappingPublicKey FromRsaPublicKey(ReadOnlySpan<byte> pkcs1, string format, string path)
    {
        BigInteger modulus, exponent;
        try
        {
            var sequence = new AsnReader(pkcs1.ToArray(), AsnEncodingRules.DER);
            var fields = sequence.ReadSequence();
            modulus = fields.ReadInteger();
            exponent = fields.ReadInteger();
            fields.ThrowIfNotEmpty();
        }
        catch (AsnContentException)
        {
            throw RuntimeErrors.WrapKeyFile(path, "the RSA public key inside it is malformed");
        }
        var bits = modulus.Sign > 0 ? (int)modulus.GetBitLength() : 0;
        if (modulus.Sign <= 0) throw InvalidKey(path, "its modulus is not a positive number");
        if (modulus.IsEven) throw InvalidKey(path, "its modulus is even");
        if (bits < MinimumBits)
        {
            throw RuntimeErrors.WrapKeyFile(path, $"the RSA key is {bits} bits; providers' wrapping keys are at least {MinimumBits} bits");
        }
        if (bits > MaximumBits) throw InvalidKey(path, $"its modulus is {bits} bits, more than the {MaximumBits} bits any provider uses");
        if (exponent < 3) throw InvalidKey(path, "its public exponent is less than 3");
        if (exponent.IsEven) throw InvalidKey(path, "its public exponent is even");
        if (exponent.GetBitLength() > MaximumExponentBits) throw InvalidKey(path, $"its public exponent is larger than {MaximumExponentBits} bits (providers use 65537)");
        if (exponent >= modulus) throw InvalidKey(path, "its public exponent is not smaller than its modulus");

        // The canonical SubjectPublicKeyInfo is written here rather than exported by the platform: each OpenSSL
        // encode or decode builds its encoder/decoder chain afresh, and one import is all the key needs.
        var modulusBytes = modulus.ToByteArray(isUnsigned: true, isBigEndian: true);
        var exponentBytes = exponent.ToByteArray(isUnsigned: true, isBigEndian: true);
        var spki = SubjectPublicKeyInfoOf(modulus, exponent);
        var rsa = RSA.Create();
        try
        {
            rsa.ImportSubjectPublicKeyInfo(spki, out _);
            return new WrappingPublicKey(spki, modulusBytes, exponentBytes, format, rsa);
        }
        catch (CryptographicException e)
        {
            rsa.Dispose();
            // The key passed every check above, so a refusal here is the platform's: say what failed, not "bad file".
            PlatformCryptography.ThrowIfRsaBroken(e);
            throw RuntimeErrors.WrapKeyFile(path, "the platform's cryptography refused the RSA public key inside it");
        }
    }

    /// <summary>DER SubjectPublicKeyInfo of an rsaEncryption key (RFC 8017 A.1.1 inside RFC 5280 4.1), NULL parameters.</summary>
    static byte[] SubjectPublicKeyInfoOf(BigInteger modulus, BigInteger exponent)
    {
        var rsaPublicKey = new AsnWriter(AsnEncodingRules.DER);
        using (rsaPublicKey.PushSequence())
        {
            rsaPublicKey.WriteInteger(modulus);
            rsaPublicKey.WriteInteger(exponent);
        }
        var spki = new AsnWriter(AsnEncodingRules.DER);
        using (spki.PushSequence())
        {
            using (spki.PushSequence())
            {
                spki.WriteObjectIdentifier(RsaEncryptionOid);
                spki.WriteNull();
            }
            spki.WriteBitString(rsaPublicKey.Encode());
        }
        return spki.Encode();
    }

    const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    static RuntimeError InvalidKey(string path, string why) => RuntimeErrors.WrapKeyFile(path, "the RSA key is invalid: " + why);

    internal static string DescribeAlgorithm(string oid) => oid switch
    {
        "1.2.840.10045.2.1" => "an EC public key",
        "1.3.101.112" => "an Ed25519 public key",
        "1.3.101.110" => "an X25519 public key",
        "1.2.840.10040.4.1" => "a DSA public key",
        "1.2.840.113549.1.1.10" => "an RSA-PSS public key",
        "1.2.840.113549.1.1.7" => "an RSA-OAEP-restricted public key",
        _ => $"a public key of algorithm {oid}",
    };

    internal static bool IsRsaEncryption(string oid) => oid == RsaEncryptionOid;

    internal static AsnReader Der(ReadOnlyMemory<byte> der) => new(der, AsnEncodingRules.DER);
}
