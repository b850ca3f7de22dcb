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

    public override IEnumerable<string> Warnings(WrapAlgorithm algorithm)
    {
        if (algorithm == WrapAlgorithm.RsaesPkcs1V15)
        {
            yield return "AWS KMS has refused RSAES_PKCS1_V1_5 since 10 October 2023; the import will fail " +
                         "(choose RSAES_OAEP_SHA_256 when downloading the wrapping key)";
        }
    }
}
