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
    WrapAlgorithm(string name, WrapConstruction construction, RsaPadding padding, int? wrappingKeyBits = null)
    {
        Name = name;
        Construction = construction;
        Padding = padding;
        WrappingKeyBits = wrappingKeyBits;
    }

    public string Name { get; }
    public WrapConstruction Construction { get; }
    public RsaPadding Padding { get; }

    /// <summary>The wrapping key size the name itself states (Google's import methods, e.g. RSA_OAEP_3072_SHA256).</summary>
    public int? WrappingKeyBits { get; }

    public static readonly WrapAlgorithm RsaesOaepSha256 = new("RSAES_OAEP_SHA_256", WrapConstruction.DirectRsa, RsaPadding.OaepSha256);
    public static readonly WrapAlgorithm RsaesOaepSha1 = new("RSAES_OAEP_SHA_1", WrapConstruction.DirectRsa, RsaPadding.OaepSha1);
    public static readonly WrapAlgorithm RsaesPkcs1V15 = new("RSAES_PKCS1_V1_5", WrapConstruction.DirectRsa, RsaPadding.Pkcs1V15);

    /// <summary>RSA-OAEP of an ephemeral AES-256 key, then RFC 5649 of the target, named by the OAEP hash.</summary>
    public static readonly WrapAlgorithm RsaAesOaepSha256 = new("RSAES_OAEP_SHA_256", WrapConstruction.RsaAesKeyWrap, RsaPadding.OaepSha256);
    public static readonly WrapAlgorithm RsaAesOaepSha1 = new("RSAES_OAEP_SHA_1", WrapConstruction.RsaAesKeyWrap, RsaPadding.OaepSha1);

    /// <summary>Salesforce's recommended tenant-secret padding: RSA-OAEP with SHA-512 and MGF1-SHA-512.</summary>
    public static readonly WrapAlgorithm RsaesOaepSha512 = new("RSAES_OAEP_SHA_512", WrapConstruction.DirectRsa, RsaPadding.OaepSha512);

    // AWS KMS (SHA-1, SHA-256) and HashiCorp Vault transit (every hash): RSA-OAEP of an ephemeral AES-256 key, then RFC 5649.
    public static readonly WrapAlgorithm RsaAesKeyWrapSha1 = RsaAes("RSA_AES_KEY_WRAP_SHA_1", RsaPadding.OaepSha1);
    public static readonly WrapAlgorithm RsaAesKeyWrapSha224 = RsaAes("RSA_AES_KEY_WRAP_SHA_224", RsaPadding.OaepSha224);
    public static readonly WrapAlgorithm RsaAesKeyWrapSha256 = RsaAes("RSA_AES_KEY_WRAP_SHA_256", RsaPadding.OaepSha256);
    public static readonly WrapAlgorithm RsaAesKeyWrapSha384 = RsaAes("RSA_AES_KEY_WRAP_SHA_384", RsaPadding.OaepSha384);
    public static readonly WrapAlgorithm RsaAesKeyWrapSha512 = RsaAes("RSA_AES_KEY_WRAP_SHA_512", RsaPadding.OaepSha512);

    // Google Cloud KMS import methods, as `gcloud kms import-jobs describe` names them: the size is part of the name.
    public static readonly WrapAlgorithm GoogleOaep3072Sha1Aes256 = RsaAes("RSA_OAEP_3072_SHA1_AES_256", RsaPadding.OaepSha1, 3072);
    public static readonly WrapAlgorithm GoogleOaep4096Sha1Aes256 = RsaAes("RSA_OAEP_4096_SHA1_AES_256", RsaPadding.OaepSha1, 4096);
    public static readonly WrapAlgorithm GoogleOaep3072Sha256Aes256 = RsaAes("RSA_OAEP_3072_SHA256_AES_256", RsaPadding.OaepSha256, 3072);
    public static readonly WrapAlgorithm GoogleOaep4096Sha256Aes256 = RsaAes("RSA_OAEP_4096_SHA256_AES_256", RsaPadding.OaepSha256, 4096);
    public static readonly WrapAlgorithm GoogleOaep3072Sha256 = new("RSA_OAEP_3072_SHA256", WrapConstruction.DirectRsa, RsaPadding.OaepSha256, 3072);
    public static readonly WrapAlgorithm GoogleOaep4096Sha256 = new("RSA_OAEP_4096_SHA256", WrapConstruction.DirectRsa, RsaPadding.OaepSha256, 4096);

    // Oracle Cloud Infrastructure Vault (WrappedImportKey.wrappingAlgorithm).
    public static readonly WrapAlgorithm OciRsaOaepAesSha256 = RsaAes("RSA_OAEP_AES_SHA256", RsaPadding.OaepSha256);
    public static readonly WrapAlgorithm OciRsaOaepSha256 = new("RSA_OAEP_SHA256", WrapConstruction.DirectRsa, RsaPadding.OaepSha256);

    static WrapAlgorithm RsaAes(string name, RsaPadding padding, int? wrappingKeyBits = null) =>
        new(name, WrapConstruction.RsaAesKeyWrap, padding, wrappingKeyBits);

    public static IReadOnlyList<WrapAlgorithm> All { get; } =
    [
        RsaesOaepSha256, RsaesOaepSha1, RsaesPkcs1V15, RsaAesOaepSha256, RsaAesOaepSha1, RsaesOaepSha512,
        RsaAesKeyWrapSha256, RsaAesKeyWrapSha1, RsaAesKeyWrapSha224, RsaAesKeyWrapSha384, RsaAesKeyWrapSha512,
        GoogleOaep3072Sha1Aes256, GoogleOaep4096Sha1Aes256, GoogleOaep3072Sha256Aes256, GoogleOaep4096Sha256Aes256,
        GoogleOaep3072Sha256, GoogleOaep4096Sha256, OciRsaOaepAesSha256, OciRsaOaepSha256,
    ];

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
