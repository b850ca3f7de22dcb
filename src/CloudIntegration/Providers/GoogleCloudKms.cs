using CloudIntegration.Keys;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Providers;

/// <summary>
/// Google Cloud KMS key import. The *_AES_256 import methods (and the guide's RSAES_OAEP_SHA_256 / _SHA_1) give binary
/// RSA-OAEP(ephemeral AES-256 key) followed by the RFC 5649 wrap of the target key; the direct methods
/// RSA_OAEP_3072_SHA256 and RSA_OAEP_4096_SHA256 give RSA-OAEP of the target itself (no RSA keys, by Google's rule).
/// Targets: raw AES and HMAC keys (HMAC as long as its hash), DER PKCS#8 for RSA, EC and Ed25519.
/// </summary>
public sealed class GoogleCloudKms(bool singleAlgorithm) : Provider
{
    public override string Name => "google-cloud-key-management";
    public override string Summary => "Google Cloud KMS / Cloud HSM import job (RSA-OAEP + AES-KWP)";

    public override IReadOnlyList<KeyType> KeyTypes { get; } =
    [
        KeyType.Rsa2048, KeyType.Rsa3072, KeyType.Rsa4096, KeyType.EcNistP256, KeyType.EcNistP384, KeyType.Aes256,
        KeyType.EcSecp256k1, KeyType.EcEd25519, KeyType.Aes128,
        KeyType.HmacSha1, KeyType.HmacSha224, KeyType.HmacSha256, KeyType.HmacSha384, KeyType.HmacSha512,
    ];

    /// <summary>cssadmin v2.2.1 took no wrapAlg here and always used SHA-1.</summary>
    public override IReadOnlyList<WrapAlgorithm> WrapAlgorithms { get; } = singleAlgorithm ? [] :
    [
        WrapAlgorithm.RsaAesOaepSha256, WrapAlgorithm.RsaAesOaepSha1,
        WrapAlgorithm.GoogleOaep3072Sha1Aes256, WrapAlgorithm.GoogleOaep4096Sha1Aes256,
        WrapAlgorithm.GoogleOaep3072Sha256Aes256, WrapAlgorithm.GoogleOaep4096Sha256Aes256,
        WrapAlgorithm.GoogleOaep3072Sha256, WrapAlgorithm.GoogleOaep4096Sha256,
    ];

    protected override string? Rule(KeyType type, WrapAlgorithm algorithm, string? azureKek) =>
        type.Family == KeyFamily.Rsa && algorithm.Construction == WrapConstruction.DirectRsa
            ? $"the direct import method {algorithm.Name} cannot wrap RSA keys (Google's rule); use an *_AES_256 method"
            : null;

    protected override string DirectWrapAlternative => "an *_AES_256 import method";

    public override WrapAlgorithm? ImplicitAlgorithm => singleAlgorithm ? WrapAlgorithm.RsaAesOaepSha1 : null;

    static readonly ProviderFile Wrapped = new("{keyName}-wrapped.bin", FileEncoding.Binary, UploadField: "Upload the wrapped key",
                                               Flag: "--wrapped-key-file");

    public override IReadOnlyList<ProviderFile> Files { get; } = [Wrapped];

    /// <summary>
    /// The <c>--algorithm</c> gcloud imports each key type under, first the one printed. A CryptoKey's purpose fixes its
    /// algorithm family, so where several fit (RSA signing or decryption, AES modes) the note names the others.
    /// </summary>
    public static IReadOnlyDictionary<KeyType, string[]> ImportAlgorithms { get; } = new Dictionary<KeyType, string[]>
    {
        [KeyType.Rsa2048] = ["rsa-sign-pss-2048-sha256", "rsa-sign-pkcs1-2048-sha256", "rsa-decrypt-oaep-2048-sha256"],
        [KeyType.Rsa3072] = ["rsa-sign-pss-3072-sha256", "rsa-sign-pkcs1-3072-sha256", "rsa-decrypt-oaep-3072-sha256"],
        [KeyType.Rsa4096] = ["rsa-sign-pss-4096-sha256", "rsa-sign-pkcs1-4096-sha256", "rsa-decrypt-oaep-4096-sha256"],
        [KeyType.EcNistP256] = ["ec-sign-p256-sha256"],
        [KeyType.EcNistP384] = ["ec-sign-p384-sha384"],
        [KeyType.EcSecp256k1] = ["ec-sign-secp256k1-sha256"],
        [KeyType.EcEd25519] = ["ec-sign-ed25519"],
        [KeyType.Aes256] = ["google-symmetric-encryption", "aes-256-gcm", "aes-256-cbc", "aes-256-ctr"],
        [KeyType.Aes128] = ["aes-128-gcm", "aes-128-cbc", "aes-128-ctr"],
        [KeyType.HmacSha1] = ["hmac-sha1"],
        [KeyType.HmacSha224] = ["hmac-sha224"],
        [KeyType.HmacSha256] = ["hmac-sha256"],
        [KeyType.HmacSha384] = ["hmac-sha384"],
        [KeyType.HmacSha512] = ["hmac-sha512"],
    };

    protected override ImportSteps Instructions(ImportStepContext c)
    {
        var notes = new List<string>
        {
            $"the import job must have import method {ImportMethod(c.WrappingKeyBits, c.Algorithm)} (the job whose wrapping key you used), " +
            "and <KEY> must have been created with --skip-initial-version-creation",
        };
        var algorithms = ImportAlgorithms[c.KeyType];
        if (algorithms.Length > 1)
        {
            notes.Add($"for a key of another purpose or mode use its algorithm instead: {string.Join(", ", algorithms[1..])}");
        }
        if (c.KeyType.IsAsymmetric)
        {
            notes.Add("after the import, compare the public key: gcloud kms keys versions get-public-key <VERSION> --key <KEY> " +
                      "--keyring <KEY_RING> --location <LOCATION> --output-file pub.pem && openssl pkey -pubin -in pub.pem -outform DER " +
                      $"| sha256sum  (must be {c.KeyFingerprint})");
        }
        notes.Add("the new version is PENDING_IMPORT, then ENABLED (IMPORT_FAILED if Google could not unwrap it)");
        return new(
            [$"gcloud kms keys versions import --import-job <IMPORT_JOB> --location <LOCATION> --keyring <KEY_RING> --key <KEY> " +
             $"--algorithm {algorithms[0]} {c.Flag(Wrapped)}"],
            [],
            notes);
    }

    /// <summary>
    /// The import method an import job must have been created with for this wrapping key and algorithm; every import
    /// method Google offers is RSA-OAEP, so a padding without an OAEP hash has none.
    /// </summary>
    public static string ImportMethod(int wrappingKeyBits, WrapAlgorithm algorithm)
    {
        var hash = algorithm.Padding.Oaep ?? throw new ArgumentException($"{algorithm.Name} has no Google import method", nameof(algorithm));
        return algorithm.Construction switch
        {
            WrapConstruction.RsaAesKeyWrap => $"rsa-oaep-{wrappingKeyBits}-{hash.ShortName}-aes-256",
            WrapConstruction.DirectRsa => $"rsa-oaep-{wrappingKeyBits}-{hash.ShortName}",
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm.Construction, "unknown wrap construction"),
        };
    }
}
