using System.Text;
using System.Text.Json;
using CloudIntegration.IO;
using CloudIntegration.KeyStores;

namespace CloudIntegration.Ceremony;

/// <summary>
/// The inventory as 'keys list' and 'keys show' print it: a table that fits a 100-column terminal for key names up to
/// 16 characters and softcard or card-set names up to 12 (longer names widen it rather than being cut; 'keys show'
/// gives full fingerprints and times), the details of one key, and the same as JSON.
/// </summary>
public static class KeyInventory
{
    public sealed record Row(KeyRecord Key, ExportHistory History);

    /// <summary>A key whose file is there but cannot be used (damaged, tampered with, unreadable), and why.</summary>
    public sealed record Unusable(string Name, string Error);

    const string UnusableMark = "UNUSABLE";
    const int CountColumn = 5;

    static readonly string[] Headers = ["NAME", "TYPE", "PROTECTION", "CREATED", "SHA-256/KCV", "EXPORTS", "LAST EXPORT"];

    public static string Table(IReadOnlyList<Row> rows, IReadOnlyList<Unusable> unusable, string keyStore)
    {
        if (rows.Count == 0 && unusable.Count == 0) return $"no keys in the {keyStore}\n";
        var cells = rows.Select(r => new[]
        {
            r.Key.Name.Value,
            r.Key.Type.Name,
            r.Key.Protection.Encode(),
            TextFormats.Utc(r.Key.Created, TextFormats.Date),
            KeyFacts.Short(r.Key, fingerprintCharacters: 12),
            r.History.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            r.History.Last is { } last ? TextFormats.Utc(last.Time, TextFormats.Date) : "-",
        }).Concat(unusable.Select(u => new[] { u.Name, UnusableMark, "-", "-", "-", "-", "-" }))
          .OrderBy(c => c[0], StringComparer.Ordinal).ToList();
        var widths = Headers.Select((h, i) => Math.Max(h.Length, cells.Max(c => c[i].Length))).ToArray();
        // Padded in place, one builder for the whole table: a world can hold 100,000 keys.
        var text = new StringBuilder(capacity: (cells.Count + 2) * (widths.Sum() + 2 * widths.Length));
        foreach (var line in cells.Prepend(Headers))
        {
            for (var i = 0; i < line.Length; i++)
            {
                if (i > 0) text.Append(' ', 2);
                var padding = widths[i] - line[i].Length;
                // The count is a number: right-align it under its header. The last column is not padded.
                if (i == CountColumn) text.Append(' ', padding).Append(line[i]);
                else if (i == line.Length - 1) text.Append(line[i].TrimEnd());
                else text.Append(line[i]).Append(' ', padding);
            }
            text.Append('\n');
        }
        text.Append($"{rows.Count} key{(rows.Count == 1 ? "" : "s")} in the {keyStore}; 'keys show NAME' prints one in full\n");
        if (unusable.Count > 0)
        {
            text.Append($"{unusable.Count} more {(unusable.Count == 1 ? "is" : "are")} {UnusableMark}: 'keys show NAME' says why\n");
        }
        return text.ToString();
    }

    public static string Details(Row row, string keyStore)
    {
        var key = row.Key;
        var text = new StringBuilder();
        text.Append($"key '{key.Name}'\n");
        Line(text, "type", key.Type.Name);
        Line(text, "protection", key.Protection.Describe());
        Line(text, "created", TextFormats.Utc(key.Created));
        Line(text, "id", key.Id);
        Line(text, "key store", keyStore);
        if (key.Location.Length > 0) Line(text, "location", key.Location);
        Line(text, "exports", row.History.Last is { } last
            ? $"{row.History.Count}, the last on {TextFormats.Utc(last.Time)} for {last.Provider} (audit entry {last.Seq}: " +
              $"{string.Join(", ", last.Files)})"
            : "none recorded");
        text.Append("  ").Append(KeyFacts.Identity(key)).Append('\n');
        if (KeyFacts.Pem(key) is { } pem)
        {
            text.Append(pem).Append('\n');
            text.Append("compare with the provider's copy of the public key (the SHA-256 must be the fingerprint above):\n");
            text.Append("  aws kms get-public-key --key-id <KEY_ID> --query PublicKey --output text | base64 -d | sha256sum\n");
            text.Append("  gcloud kms keys versions get-public-key <VERSION> --key <KEY> --keyring <KEY_RING> --location <LOCATION> " +
                        "--output-file pub.pem && openssl pkey -pubin -in pub.pem -outform DER | sha256sum\n");
            text.Append("  az keyvault key download --vault-name <VAULT> --name <KEY> --encoding DER --file pub.der && sha256sum pub.der\n");
        }
        return text.ToString();
    }

    public static string ListJson(IReadOnlyList<Row> rows, IReadOnlyList<Unusable> unusable, string keyStore) => Json(json =>
    {
        json.WriteStartObject();
        json.WriteString("keyStore", keyStore);
        json.WriteStartArray("keys");
        foreach (var row in rows)
        {
            json.WriteStartObject();
            KeyFacts.WriteJson(json, row.Key, withPublicKey: false);
            row.History.WriteJson(json);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("unusable");
        foreach (var key in unusable)
        {
            json.WriteStartObject();
            json.WriteString("name", key.Name);
            json.WriteString("error", key.Error);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    });

    public static string ShowJson(Row row, string keyStore) => Json(json =>
    {
        json.WriteStartObject();
        KeyFacts.WriteJson(json, row.Key, withPublicKey: true);
        json.WriteString("keyStore", keyStore);
        json.WriteString("location", row.Key.Location);
        row.History.WriteJson(json);
        json.WriteEndObject();
    });

    public static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, TextFormats.IndentedJson)) write(json);
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    static void Line(StringBuilder text, string label, string value) =>
        text.Append("  ").Append((label + ":").PadRight(12)).Append(value).Append('\n');
}
