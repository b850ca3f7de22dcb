using CloudIntegration.Keys;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Providers;

/// <summary>
/// Google Cloud KMS key import (import methods RSA_OAEP_3072/4096_SHA1_AES_256 and ..._SHA256_AES_256): binary
/// RSA-OAEP(ephemeral AES-256 key) followed by the RFC 5649 wrap of the target key.
/// </summary>
public sealed class GoogleCloudKms(bool singleAlgorithm) : Provider
{
    public override string Name => "google-cloud-key-management";
    public override string Summary => "Google Cloud KMS / Cloud HSM import job (RSA-OAEP + AES-KWP)";

    public override IReadOnlyList<KeyType> KeyTypes { get; } =
        [KeyType.Rsa2048, KeyType.Rsa3072, KeyType.Rsa4096, KeyType.EcNistP256, KeyType.EcNistP384, KeyType.Aes256];

    /// <summary>cssadmin v2.2.1 took no wrapAlg here and always used SHA-1.</summary>
    public override IReadOnlyList<WrapAlgorithm> WrapAlgorithms { get; } =
        singleAlgorithm ? [] : [WrapAlgorithm.RsaAesOaepSha256, WrapAlgorithm.RsaAesOaepSha1];

    public override WrapAlgorithm? ImplicitAlgorithm => singleAlgorithm ? WrapAlgorithm.RsaAesOaepSha1 : null;

    static readonly ProviderFile Wrapped = new("{keyName}-wrapped.bin", FileEncoding.Binary, UploadField: "Upload the wrapped key",
                                               Flag: "--wrapped-key-file");

    public override IReadOnlyList<ProviderFile> Files { get; } = [Wrapped];

    /// <summary>
    /// The <c>--algorithm</c> gcloud imports each key type under. A CryptoKey's purpose fixes its algorithm family, so
    /// RSA keys show the signing default and the note names the others.
    /// </summary>
    public static IReadOnlyDictionary<KeyType, string> ImportAlgorithms { get; } = new Dictionary<KeyType, string>
    {
        [KeyType.Rsa2048] = "rsa-sign-pss-2048-sha256",
        [KeyType.Rsa3072] = "rsa-sign-pss-3072-sha256",
        [KeyType.Rsa4096] = "rsa-sign-pss-4096-sha256",
        [KeyType.EcNistP256] = "ec-sign-p256-sha256",
        [KeyType.EcNistP384] = "ec-sign-p384-sha384",
        [KeyType.Aes256] = "google-symmetric-encryption",
    };

    protected override ImportSteps Instructions(ImportStepContext c)
    {
        var notes = new List<string>
        {
            $"the import job must have import method {ImportMethod(c.WrappingKeyBits, c.Algorithm)} (the job whose wrapping key you used), " +
            "and <KEY> must have been created with --skip-initial-version-creation",
        };
        if (c.KeyType.Family == KeyFamily.Rsa)
        {
            notes.Add($"for a key of another purpose use its algorithm instead, e.g. rsa-sign-pkcs1-{c.KeyType.Bits}-sha256 or " +
                      $"rsa-decrypt-oaep-{c.KeyType.Bits}-sha256");
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
             $"--algorithm {ImportAlgorithms[c.KeyType]} {c.Flag(Wrapped)}"],
            [],
            notes);
    }

    /// <summary>
    /// The import method an import job must have been created with for this wrapping key and algorithm; every import
    /// method Google offers is RSA-OAEP, so a padding without an OAEP hash has none.
    /// </summary>
    public static string ImportMethod(int wrappingKeyBits, WrapAlgorithm algorithm) =>
        $"rsa-oaep-{wrappingKeyBits}-{(algorithm.Padding.Oaep ?? throw new ArgumentException($"{algorithm.Name} has no Google import method", nameof(algorithm))).ShortName}-aes-256";
}
