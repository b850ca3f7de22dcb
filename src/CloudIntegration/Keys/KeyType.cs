using System.Security.Cryptography;
using CloudIntegration.Errors;

namespace CloudIntegration.Keys;

public enum KeyFamily { Aes, Rsa, Ec }

/// <summary>
/// A target key type. The names are the guide's (<c>RSA-2048</c>, <c>EC-NISTP256</c>, ...). Security strengths follow
/// NIST SP 800-57 Part 1, table 2, and are shown with every export (see Wrapping/WrappingStrength.cs).
/// </summary>
public sealed class KeyType
{
    KeyType(string name, KeyFamily family, int bits, int strengthBits, string? curveOid = null,
            string? curveFriendlyName = null, string? azureCurve = null)
    {
        Name = name;
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

    public bool IsAsymmetric => Family != KeyFamily.Aes;

    public static readonly KeyType Aes256 = new("AES-256", KeyFamily.Aes, 256, 256);
    public static readonly KeyType Rsa2048 = new("RSA-2048", KeyFamily.Rsa, 2048, 112);
    public static readonly KeyType Rsa3072 = new("RSA-3072", KeyFamily.Rsa, 3072, 128);
    public static readonly KeyType Rsa4096 = new("RSA-4096", KeyFamily.Rsa, 4096, 152);
    public static readonly KeyType EcNistP256 = new("EC-NISTP256", KeyFamily.Ec, 256, 128, "1.2.840.10045.3.1.7", "prime256v1", "P-256");
    public static readonly KeyType EcNistP384 = new("EC-NISTP384", KeyFamily.Ec, 384, 192, "1.3.132.0.34", "secp384r1", "P-384");
    public static readonly KeyType EcNistP521 = new("EC-NISTP521", KeyFamily.Ec, 521, 256, "1.3.132.0.35", "secp521r1", "P-521");
    public static readonly KeyType EcSecp256k1 = new("EC-SECP256K1", KeyFamily.Ec, 256, 128, "1.3.132.0.10", "secp256k1", "P-256K");

    /// <summary>In the order the guide lists them.</summary>
    public static IReadOnlyList<KeyType> All { get; } =
        [Aes256, EcNistP256, EcNistP384, EcNistP521, EcSecp256k1, Rsa2048, Rsa3072, Rsa4096];

    public static KeyType Parse(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw UsageErrors.UnknownKeyType(name, All.Select(t => t.Name));

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
