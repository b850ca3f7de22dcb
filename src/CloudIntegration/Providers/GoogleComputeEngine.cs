using System.Text.Json;
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

    /// <summary>
    /// Google's CSEK certificate holds an RSA-2048 key, and gcloud takes a wrapped key of exactly 344 base64 characters
    /// (256 bytes): a larger wrapping key gives a file Google refuses.
    /// </summary>
    public override int? RequiredWrappingKeyBits => 2048;

    protected override string WrappingKeySizeReason =>
        "Google's CSEK certificate is RSA-2048, and gcloud refuses a wrapped key that is not exactly 344 base64 characters";

    /// <summary>The disk the key file names until the operator puts in the real one: gcloud matches keys to disks by it.</summary>
    public const string PlaceholderDiskUri = "https://www.googleapis.com/compute/v1/projects/<PROJECT>/zones/<ZONE>/disks/<DISK>";

    /// <summary>The wrapped key for the console's "Wrapped key" box.</summary>
    static readonly ProviderFile Wrapped = new("{keyName}-wrapped", FileEncoding.Base64, UploadField: "Wrapped key (paste the contents)");

    /// <summary>
    /// The same key in the JSON key file <c>gcloud compute ... --csek-key-file</c> reads: a list of objects with
    /// exactly <c>uri</c>, <c>key</c> and <c>key-type</c>.
    /// </summary>
    static readonly ProviderFile KeyFile = new("{keyName}-csek.json", FileEncoding.Document(CsekKeyFile),
                                               Flag: "--csek-key-file");

    public override IReadOnlyList<ProviderFile> Files { get; } = [Wrapped, KeyFile];

    static byte[] CsekKeyFile(ExportContext context, WrappedKey wrapped)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, TextFormats.IndentedJson))
        {
            json.WriteStartArray();
            json.WriteStartObject();
            json.WriteString("uri", PlaceholderDiskUri);
            json.WriteString("key", Convert.ToBase64String(wrapped.Ciphertext));
            json.WriteString("key-type", "rsa-encrypted");
            json.WriteEndObject();
            json.WriteEndArray();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    protected override ImportSteps Instructions(ImportStepContext c) => new(
        [$"gcloud beta compute disks create <DISK> --zone <ZONE> {c.Flag(KeyFile)}"],
        [],
        [$"first edit the uri in {c.Name(KeyFile)}: replace <PROJECT>, <ZONE> and <DISK> with the disk to create (gcloud uses the " +
         "key whose uri names the disk); add --project <PROJECT> when it is not gcloud's default project",
         "rsa-encrypted keys are accepted only by the alpha and beta gcloud commands",
         "in the console: Disks > Create disk > Encryption > Customer-supplied key > Wrapped key, and paste the contents of " +
         c.Name(Wrapped)]);

    public override IEnumerable<string> Warnings(WrapAlgorithm algorithm)
    {
        if (algorithm.Padding != RsaPadding.OaepSha1)
        {
            yield return $"Google Compute Engine accepts only RSAES_OAEP_SHA_1; a key wrapped with {algorithm.Name} will be refused";
        }
        yield return "Google has deprecated customer-supplied encryption keys for Compute Engine; " +
                     "consider Cloud KMS keys (google-cloud-key-management) instead";
    }
}
