using System.Security.Cryptography;
using CloudIntegration.Errors;

namespace CloudIntegration.Keys;

/// <summary>
/// What kind of material a key is, which decides its plaintext form: raw bytes (AES, HMAC), or DER PKCS#8 (RSA, EC,
/// Ed25519).
/// </summary>
public enum KeyFamily { Aes, Rsa, Ec, Hmac, Ed25519 }

/// <summary>
/// A target key type. The names are the guide's (<c>RSA-2048</c>, <c>EC-NISTP256</c>, ...). Security strengths follow
/// NIST SP 800-57 Part 1, table 2, and are shown with every export (see Wrapping/WrappingStrength.cs).
/// </summary>
public sealed class KeyType
{
    KeyType(string name, KeyFamily family, int bits, int strengthBits, string? curveOid = null,
            string? curveFriendlyName = null, string? azureCurve = null, HashAlgorithmName? hmacHash = null, string? alias = null)
    {
        Name = name;
        HmacHash = hmacHash;
        Alias = alias;
        Family = family;
        Bits = bits;
        StrengthBits = strengthBits;
        CurveOid = curveOid;
        CurveFriendlyName = curveFriendlyName;
        AzureCurve = azureCurve;
    }

    public string Name { get; }
    public KeyFamily Family { get; }
    /// <summary>AES key length, RSA modulus length or EC field size, in bits.</summary>
    public int Bits { get; }
    public int StrengthBits { get; }
    /// <summary>The named-curve OID, for EC keys.</summary>
    public string? CurveOid { get; }
    /// <summary>The OpenSSL curve name, for EC keys.</summary>
    public string? CurveFriendlyName { get; }
    /// <summary>The <c>--curve</c> value <c>az keyvault key import</c> takes, for EC keys.</summary>
    public string? AzureCurve { get; }

    /// <summary>The hash an HMAC key is for; its length is the hash's output length, as Google and AWS import it.</summary>
    public HashAlgorithmName? HmacHash { get; }

    /// <summary>Another name the command line accepts (AWS's spelling of the HMAC key specs: <c>HMAC-256</c>).</summary>
    public string? Alias { get; }

    /// <summary>Whether the key is a private key of a key pair (PKCS#8 plaintext, a public key to show).</summary>
    public bool IsAsymmetric => Family switch
    {
        KeyFamily.Aes or KeyFamily.Hmac => false,
        KeyFamily.Rsa or KeyFamily.Ec or KeyFamily.Ed25519 => true,
        _ => throw new ArgumentOutOfRangeException(nameof(Family), Family, "unknown key family"),
    };

    /// <summary>Whether the plaintext is raw secret bytes (AES, HMAC) whose check value identifies the key.</summary>
    public bool IsSecret => !IsAsymmetric;

    public static readonly KeyType Aes256 = new("AES-256", KeyFamily.Aes, 256, 256);
    public static readonly KeyType Aes128 = new("AES-128", KeyFamily.Aes, 128, 128);
    public static readonly KeyType Aes192 = new("AES-192", KeyFamily.Aes, 192, 192);
    public static readonly KeyType Rsa2048 = new("RSA-2048", KeyFamily.Rsa, 2048, 112);
    public static readonly KeyType Rsa3072 = new("RSA-3072", KeyFamily.Rsa, 3072, 128);
    public static readonly KeyType Rsa4096 = new("RSA-4096", KeyFamily.Rsa, 4096, 152);
    public static readonly KeyType EcNistP256 = new("EC-NISTP256", KeyFamily.Ec, 256, 128, "1.2.840.10045.3.1.7", "prime256v1", "P-256");
    public static readonly KeyType EcNistP384 = new("EC-NISTP384", KeyFamily.Ec, 384, 192, "1.3.132.0.34", "secp384r1", "P-384");
    public static readonly KeyType EcNistP521 = new("EC-NISTP521", KeyFamily.Ec, 521, 256, "1.3.132.0.35", "secp521r1", "P-521");
    public static readonly KeyType EcSecp256k1 = new("EC-SECP256K1", KeyFamily.Ec, 256, 128, "1.3.132.0.10", "secp256k1", "P-256K");
    public static readonly KeyType EcEd25519 = new("EC-ED25519", KeyFamily.Ed25519, 256, 128);

    // HMAC keys are as long as their hash's output; their strength is that length (SP 800-107), at most 256 bits.
    public static readonly KeyType HmacSha1 = Hmac("HMAC-SHA1", HashAlgorithmName.SHA1, 20, alias: null);
    public static readonly KeyType HmacSha224 = Hmac("HMAC-SHA224", new HashAlgorithmName("SHA224"), 28, alias: "HMAC-224");
    public static readonly KeyType HmacSha256 = Hmac("HMAC-SHA256", HashAlgorithmName.SHA256, 32, alias: "HMAC-256");
    public static readonly KeyType HmacSha384 = Hmac("HMAC-SHA384", HashAlgorithmName.SHA384, 48, alias: "HMAC-384");
    public static readonly KeyType HmacSha512 = Hmac("HMAC-SHA512", HashAlgorithmName.SHA512, 64, alias: "HMAC-512");

    static KeyType Hmac(string name, HashAlgorithmName hash, int bytes, string? alias) =>
        new(name, KeyFamily.Hmac, bytes * 8, Math.Min(bytes * 8, 256), hmacHash: hash, alias: alias);

    /// <summary>In the order the guide lists them, then the types added since.</summary>
    public static IReadOnlyList<KeyType> All { get; } =
    [
        Aes256, EcNistP256, EcNistP384, EcNistP521, EcSecp256k1, Rsa2048, Rsa3072, Rsa4096,
        Aes128, Aes192, EcEd25519, HmacSha1, HmacSha224, HmacSha256, HmacSha384, HmacSha512,
    ];

    /// <summary>
    /// The largest plaintext the key can have in the form providers import: raw bytes, or DER PKCS#8 as OpenSSL writes
    /// it (EC with its public key; RSA with two primes). Decides whether a direct RSA wrap can carry it.
    /// </summary>
    public int MaxPlaintextBytes => Family switch
    {
        KeyFamily.Aes or KeyFamily.Hmac => Bits / 8,
        KeyFamily.Ed25519 => 48,
        KeyFamily.Ec => Bits switch { 256 => 138, 384 => 185, 521 => 241, _ => throw new InvalidOperationException(Name) },
        KeyFamily.Rsa => Bits * 5 / 8 + 60,   // an upper bound (RSA-2048 is about 1,217 bytes): far beyond any direct wrap
        _ => throw new ArgumentOutOfRangeException(nameof(Family), Family, "unknown key family"),
    };

    /// <summary>The plaintext length of a raw secret key (AES, HMAC), in bytes.</summary>
    public int SecretBytes => IsSecret ? Bits / 8 : throw new InvalidOperationException($"{Name} is not a raw secret key");

    public bool IsNamed(string name) =>
        string.Equals(Name, name, StringComparison.OrdinalIgnoreCase) ||
        (Alias is not null && string.Equals(Alias, name, StringComparison.OrdinalIgnoreCase));

    public static KeyType Parse(string name) =>
        All.FirstOrDefault(t => t.IsNamed(name)) ?? throw UsageErrors.UnknownKeyType(name, All.Select(t => t.Name));

    public static KeyType? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>SP 800-57 strength of an RSA key used for wrapping.</summary>
    public static int RsaStrength(int modulusBits) => modulusBits switch
    {
        >= 15360 => 256,
        >= 7680 => 192,
        >= 4096 => 152,
        >= 3072 => 128,
        >= 2048 => 112,
        >= 1024 => 80,
        _ => throw new ArgumentOutOfRangeException(nameof(modulusBits), modulusBits, "SP 800-57 gives no strength below RSA-1024"),
    };

    public ECCurve Curve => Family == KeyFamily.Ec
        ? ECCurve.CreateFromOid(new Oid(CurveOid, CurveFriendlyName))
        : throw new InvalidOperationException($"{Name} is not an EC key type");

    public override string ToString() => Name;
}
