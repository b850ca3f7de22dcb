using System.Text.Encodings.Web;
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
    public override WrapConstruction Construction => WrapConstruction.DirectRsa;

    /// <summary>The disk the key file names until the operator puts in the real one: gcloud matches keys to disks by it.</summary>
    public const string PlaceholderDiskUri = "https://www.googleapis.com/compute/v1/projects/<PROJECT>/zones/<ZONE>/disks/<DISK>";

    public override IReadOnlyList<string> OutputNames(KeyName keyName) => [$"{keyName}-wrapped", $"{keyName}-csek.json"];

    /// <summary>
    /// The wrapped key for the console, and the same key in the JSON key file <c>gcloud compute ... --csek-key-file</c>
    /// reads: a list of objects with exactly <c>uri</c>, <c>key</c> and <c>key-type</c>.
    /// </summary>
    public override IReadOnlyList<OutputFile> Format(ExportContext context, WrappedKey wrapped)
    {
        var base64 = Convert.ToBase64String(wrapped.Ciphertext);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, TextFormats.IndentedJson))
        {
            json.WriteStartArray();
            json.WriteStartObject();
            json.WriteString("uri", PlaceholderDiskUri);
            json.WriteString("key", base64);
            json.WriteString("key-type", "rsa-encrypted");
            json.WriteEndObject();
            json.WriteEndArray();
        }
        buffer.WriteByte((byte)'\n');
        return [new($"{context.KeyName}-wrapped", Ascii(base64)), new($"{context.KeyName}-csek.json", buffer.ToArray())];
    }

    public override ImportSteps NextSteps(ImportStepContext c) => new(
        [$"gcloud beta compute disks create <DISK> --zone <ZONE> --csek-key-file {c.File($"{c.KeyName}-csek.json")}"],
        [new("Wrapped key (paste the contents)", $"{c.KeyName}-wrapped")],
        [$"first edit the uri in {c.KeyName}-csek.json: replace <PROJECT>, <ZONE> and <DISK> with the disk to create (gcloud uses the " +
         "key whose uri names the disk); add --project <PROJECT> when it is not gcloud's default project",
         "rsa-encrypted keys are accepted only by the alpha and beta gcloud commands",
         "in the console: Disks > Create disk > Encryption > Customer-supplied key > Wrapped key, and paste the contents of " +
         $"{c.KeyName}-wrapped"]);

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
