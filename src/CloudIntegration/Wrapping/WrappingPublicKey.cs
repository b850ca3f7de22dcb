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

    internal WrappingPublicKey(byte[] spki, byte[] modulus, byte[] exponent, string format)
    {
        SubjectPublicKeyInfo = spki;
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

    public RSA CreateRsa()
    {
        var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(SubjectPublicKeyInfo, out _);
        return rsa;
    }

    /// <summary>Reads and validates a wrapping key file; every problem becomes an error that names the file.</summary>
    public static WrappingPublicKey Load(string path, DateTime? now = null) =>
        WrappingKeyFileReader.Read(path, now ?? DateTime.UtcNow);

    internal static WrappingPublicKey FromRsaPublicKey(ReadOnlySpan<byte> pkcs1, string format, string path)
    {
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportRSAPublicKey(pkcs1, out _);
        }
        catch (CryptographicException)
        {
            throw RuntimeErrors.WrapKeyFile(path, "the RSA public key inside it is malformed");
        }
        var p = rsa.ExportParameters(false);
        var bits = (int)new BigInteger(p.Modulus, isUnsigned: true, isBigEndian: true).GetBitLength();
        if (bits < MinimumBits)
        {
            throw RuntimeErrors.WrapKeyFile(path, $"the RSA key is {bits} bits; providers' wrapping keys are at least {MinimumBits} bits");
        }
        return new WrappingPublicKey(rsa.ExportSubjectPublicKeyInfo(), p.Modulus!, p.Exponent!, format);
    }

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

    internal static bool IsRsaEncryption(string oid) => oid == "1.2.840.113549.1.1.1";

    internal static AsnReader Der(ReadOnlyMemory<byte> der) => new(der, AsnEncodingRules.DER);
}
