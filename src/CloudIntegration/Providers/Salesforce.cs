using CloudIntegration.Keys;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Providers;

/// <summary>
/// Salesforce Shield Platform Encryption BYOK tenant secret: the encrypted tenant secret (base64 RSA ciphertext of a
/// 32-byte secret) and the hashed tenant secret (base64 SHA-256 of the plaintext secret, computed in the key store).
/// </summary>
public sealed class Salesforce : Provider
{
    public override string Name => "salesforce";
    public override string Summary => "Salesforce Shield Platform Encryption tenant secret (BYOK)";
    public override IReadOnlyList<KeyType> KeyTypes { get; } = [KeyType.Aes256];
    /// <summary>Salesforce recommends OAEP with SHA-512 now and still accepts SHA-1; the guide's other names stay accepted.</summary>
    public override IReadOnlyList<WrapAlgorithm> WrapAlgorithms { get; } = [WrapAlgorithm.RsaesOaepSha512, .. DirectAlgorithms];

    public override IReadOnlyList<ProviderFile> Files { get; } =
    [
        new("{keyName}-wrapped", FileEncoding.Base64, UploadField: "Encrypted Tenant Secret"),
        new("{keyName}-hash", FileEncoding.Sha256DigestBase64, UploadField: "Hashed Tenant Secret"),
    ];

    protected override ImportSteps Instructions(ImportStepContext c) => new(
        [],
        [],
        ["in Setup > Platform Encryption > Key Management > Bring Your Own Key > Upload Tenant Secret, choose the certificate " +
         "whose public key you used and upload the two files",
         "a tenant secret can be uploaded only once; export a new key name for the next secret"]);

    public override IEnumerable<string> Warnings(WrapAlgorithm algorithm)
    {
        if (algorithm.Padding != RsaPadding.OaepSha512 && algorithm.Padding != RsaPadding.OaepSha1)
        {
            yield return $"Salesforce documents RSAES_OAEP_SHA_512 (recommended) and RSAES_OAEP_SHA_1 for tenant secrets; " +
                         $"{algorithm.Name} may be refused";
        }
    }
}
