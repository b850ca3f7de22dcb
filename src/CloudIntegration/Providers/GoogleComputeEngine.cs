using CloudIntegration.IO;
using CloudIntegration.Keys;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Providers;

/// <summary>
/// Google Compute Engine customer-supplied encryption key (CSEK), RSA-wrapped: the ciphertext in standard base64 on one
/// line (344 characters under Google's RSA-2048 certificate), what the console's "Wrapped key" box takes.
/// </summary>
public sealed class GoogleComputeEngine : Provider
{
    public override string Name => "google-compute-engine";
    public override string Summary => "Compute Engine customer-supplied encryption key for disks (RSA-wrapped CSEK)";
    public override IReadOnlyList<KeyType> KeyTypes { get; } = [KeyType.Aes256];
    public override IReadOnlyList<WrapAlgorithm> WrapAlgorithms => DirectAlgorithms;
    public override WrapConstruction Construction => WrapConstruction.DirectRsa;

    public override IReadOnlyList<string> OutputNames(KeyName keyName) => [$"{keyName}-wrapped"];

    public override IReadOnlyList<OutputFile> Format(ExportContext context, WrappedKey wrapped) =>
        [new($"{context.KeyName}-wrapped", Ascii(Convert.ToBase64String(wrapped.Ciphertext)))];

    public override IEnumerable<string> Warnings(WrapAlgorithm algorithm)
    {
        if (algorithm != WrapAlgorithm.RsaesOaepSha1)
        {
            yield return $"Google Compute Engine accepts only RSAES_OAEP_SHA_1; a key wrapped with {algorithm.Name} will be refused";
        }
        yield return "Google has deprecated customer-supplied encryption keys for Compute Engine; " +
                     "consider Cloud KMS keys (google-cloud-key-management) instead";
    }
}
