namespace CloudIntegration.Wrapping;

/// <summary>How the provider's RSA key is used to carry the target key.</summary>
public enum WrapConstruction
{
    /// <summary>The key is encrypted directly with the provider's RSA key (AES-256 targets only).</summary>
    DirectRsa,

    /// <summary>
    /// PKCS#11 CKM_RSA_AES_KEY_WRAP: RSA-OAEP(ephemeral AES-256 key) followed by RFC 5649 AES key wrap with padding
    /// of the target key (raw for AES, DER PKCS#8 PrivateKeyInfo for RSA and EC).
    /// </summary>
    RsaAesKeyWrap,
}

/// <summary>
/// A wrapping algorithm as a provider names it (the guide's <c>wrapAlg</c>): its construction and its padding. The same
/// name may stand for a direct RSA wrap at one provider and for RSA-AES at another (Google Cloud KMS takes
/// RSAES_OAEP_SHA_256 and wraps with an ephemeral AES key), so each provider lists the algorithms it accepts.
/// </summary>
public sealed class WrapAlgorithm
{
    WrapAlgorithm(string name, WrapConstruction construction, RsaPadding padding)
    {
        Name = name;
        Construction = construction;
        Padding = padding;
    }

    public string Name { get; }
    public WrapConstruction Construction { get; }
    public RsaPadding Padding { get; }

    public static readonly WrapAlgorithm RsaesOaepSha256 = new("RSAES_OAEP_SHA_256", WrapConstruction.DirectRsa, RsaPadding.OaepSha256);
    public static readonly WrapAlgorithm RsaesOaepSha1 = new("RSAES_OAEP_SHA_1", WrapConstruction.DirectRsa, RsaPadding.OaepSha1);
    public static readonly WrapAlgorithm RsaesPkcs1V15 = new("RSAES_PKCS1_V1_5", WrapConstruction.DirectRsa, RsaPadding.Pkcs1V15);

    /// <summary>RSA-OAEP of an ephemeral AES-256 key, then RFC 5649 of the target, named by the OAEP hash.</summary>
    public static readonly WrapAlgorithm RsaAesOaepSha256 = new("RSAES_OAEP_SHA_256", WrapConstruction.RsaAesKeyWrap, RsaPadding.OaepSha256);
    public static readonly WrapAlgorithm RsaAesOaepSha1 = new("RSAES_OAEP_SHA_1", WrapConstruction.RsaAesKeyWrap, RsaPadding.OaepSha1);

    public static IReadOnlyList<WrapAlgorithm> All { get; } =
        [RsaesOaepSha256, RsaesOaepSha1, RsaesPkcs1V15, RsaAesOaepSha256, RsaAesOaepSha1];

    /// <summary>The names any provider accepts, each once, in the order the guide lists them.</summary>
    public static IEnumerable<string> Names => All.Select(a => a.Name).Distinct();

    /// <summary>The name as the catalog spells it, or null when no provider knows it (case-insensitive).</summary>
    public static string? KnownName(string given) =>
        Names.FirstOrDefault(n => string.Equals(n, given, StringComparison.OrdinalIgnoreCase));

    public string Describe() => Construction switch
    {
        WrapConstruction.DirectRsa => Padding.Description,
        WrapConstruction.RsaAesKeyWrap => $"{Padding.Description} of an ephemeral AES-256 key, then AES key wrap with padding (RFC 5649)",
        _ => throw new ArgumentOutOfRangeException(nameof(Construction), Construction, "unknown wrap construction"),
    };

    public override string ToString() => Name;
}
