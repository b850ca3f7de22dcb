using CloudIntegration.IO;
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
    public override IReadOnlyList<WrapAlgorithm> WrapAlgorithms => DirectAlgorithms;
    public override WrapConstruction Construction => WrapConstruction.DirectRsa;
    public override bool NeedsSha256Digest => true;

    public override IReadOnlyList<string> OutputNames(KeyName keyName) => [$"{keyName}-wrapped", $"{keyName}-hash"];

    public override IReadOnlyList<OutputFile> Format(ExportContext context, WrappedKey wrapped) =>
    [
        new($"{context.KeyName}-wrapped", Ascii(Convert.ToBase64String(wrapped.Ciphertext))),
        new($"{context.KeyName}-hash", Ascii(Convert.ToBase64String(
            wrapped.Sha256Digest ?? throw new InvalidOperationException("the key store returned no digest")))),
    ];

    public override ImportSteps NextSteps(ImportStepContext c) => new(
        [],
        [new("Encrypted Tenant Secret", $"{c.KeyName}-wrapped"), new("Hashed Tenant Secret", $"{c.KeyName}-hash")],
        ["in Setup > Platform Encryption > Key Management > Bring Your Own Key > Upload Tenant Secret, choose the certificate " +
         "whose public key you used and upload the two files",
         "a tenant secret can be uploaded only once; export a new key name for the next secret"]);

    public override IEnumerable<string> Warnings(WrapAlgorithm algorithm)
    {
        if (algorithm != WrapAlgorithm.RsaesOaepSha1)
        {
            yield return $"Salesforce requires RSAES_OAEP_SHA_1 for tenant secrets at the time of writing; {algorithm.Name} may be refused";
        }
    }
}
