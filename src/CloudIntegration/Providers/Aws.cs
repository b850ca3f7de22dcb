using CloudIntegration.IO;
using CloudIntegration.Keys;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Providers;

/// <summary>AWS KMS ImportKeyMaterial: the raw binary RSA ciphertext of a 32-byte symmetric key.</summary>
public sealed class Aws : Provider
{
    public override string Name => "aws";
    public override string Summary => "AWS KMS key with imported key material (symmetric, origin EXTERNAL)";
    public override IReadOnlyList<KeyType> KeyTypes { get; } = [KeyType.Aes256];
    public override IReadOnlyList<WrapAlgorithm> WrapAlgorithms => DirectAlgorithms;
    public override WrapConstruction Construction => WrapConstruction.DirectRsa;

    public override IReadOnlyList<string> OutputNames(KeyName keyName) => [$"{keyName}-wrapped"];

    public override IReadOnlyList<OutputFile> Format(ExportContext context, WrappedKey wrapped) =>
        [new($"{context.KeyName}-wrapped", wrapped.Ciphertext)];

    public override ImportSteps NextSteps(ImportStepContext c)
    {
        var wrapped = c.File($"{c.KeyName}-wrapped", "fileb://");
        var token = c.BesideWrapKey("ImportToken.bin", "fileb://") ?? "fileb://<ImportToken.bin>";
        return new(
            [$"aws kms import-key-material --key-id <KEY_ID> --encrypted-key-material {wrapped} --import-token {token} " +
             "--expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE"],
            [new("Wrapped key material", $"{c.KeyName}-wrapped"), new("Import token", "ImportToken.bin")],
            ["<KEY_ID> is the KMS key (origin EXTERNAL) whose wrapping key you used; the import token must come from the same " +
             "download (both expire 24 hours after it)",
             "for key material that expires instead: --expiration-model KEY_MATERIAL_EXPIRES --valid-to <YYYY-MM-DDTHH:MM:SSZ> " +
             "(at most 365 days ahead)",
             "in the console: Customer managed keys > the key > Key material > Upload key material"]);
    }

    public override IEnumerable<string> Warnings(WrapAlgorithm algorithm)
    {
        if (algorithm == WrapAlgorithm.RsaesPkcs1V15)
        {
            yield return "AWS KMS has refused RSAES_PKCS1_V1_5 since 10 October 2023; the import will fail " +
                         "(choose RSAES_OAEP_SHA_256 when downloading the wrapping key)";
        }
    }
}
