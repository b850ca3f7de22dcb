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

    static readonly ProviderFile Wrapped = new("{keyName}-wrapped", FileEncoding.Binary, UploadField: "Wrapped key material",
                                               Flag: "--encrypted-key-material", FlagPrefix: "fileb://");

    public override IReadOnlyList<ProviderFile> Files { get; } = [Wrapped];

    protected override ImportSteps Instructions(ImportStepContext c)
    {
        var token = c.BesideWrapKey("ImportToken.bin", "fileb://") ?? "fileb://<ImportToken.bin>";
        return new(
            [$"aws kms import-key-material --key-id <KEY_ID> {c.Flag(Wrapped)} --import-token {token} " +
             "--expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE"],
            [new("Import token", "ImportToken.bin")],
            ["<KEY_ID> is the KMS key (origin EXTERNAL) whose wrapping key you used; the import token must come from the same " +
             "download (both expire 24 hours after it)",
             "for key material that expires instead: --expiration-model KEY_MATERIAL_EXPIRES --valid-to <YYYY-MM-DDTHH:MM:SSZ> " +
             "(at most 365 days ahead)",
             "in the console: Customer managed keys > the key > Key material > Upload key material"]);
    }

    public override IEnumerable<string> Warnings(WrapAlgorithm algorithm)
    {
        if (algorithm.Padding == RsaPadding.Pkcs1V15)
        {
            yield return "AWS KMS has refused RSAES_PKCS1_V1_5 since 10 October 2023; the import will fail " +
                         "(choose RSAES_OAEP_SHA_256 when downloading the wrapping key)";
        }
    }
}
