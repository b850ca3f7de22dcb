using System.Globalization;
using System.Text.Json;
using CloudIntegration.IO;

namespace CloudIntegration.Audit;

/// <summary>One file an operation wrote: its name and the SHA-256 (lowercase hex) of its content as written.</summary>
public sealed record AuditFile(string Name, string Sha256);

/// <summary>
/// One line of the audit trail: what happened, to which key, by whom, where, and how it ended. Public facts only: a
/// key is named by its name, id and public-key fingerprint or check value, never by anything secret, and an error
/// is the message the operator saw (those never carry secrets either). <see cref="Seq"/> and <see cref="Prev"/> are
/// filled in by <see cref="AuditTrail.Append"/>.
/// </summary>
public sealed record AuditEntry
{
    public const string Generate = "generate";
    public const string Export = "export";
    public const string Destroy = "destroy";
    public const string Ok = "ok";
    public const string Refused = "refused";

    /// <summary>1 for the first line, and one more for each line after it; it is also the line number.</summary>
    public long Seq { get; init; }
    public required DateTimeOffset Time { get; init; }
    public required string Event { get; init; }
    public required string Outcome { get; init; }
    public string? User { get; init; }
    public string? Host { get; init; }
    public string? Tool { get; init; }
    public string? KeyStore { get; init; }
    public int? Module { get; init; }
    public string? Key { get; init; }
    public string? KeyId { get; init; }
    public string? KeyType { get; init; }
    public string? Protection { get; init; }
    /// <summary>SHA-256 of the SubjectPublicKeyInfo, for RSA and EC keys.</summary>
    public string? KeyFingerprint { get; init; }
    /// <summary>The AES key check value, for AES keys.</summary>
    public string? KeyCheckValue { get; init; }
    public string? Provider { get; init; }
    public string? WrapAlgorithm { get; init; }
    public string? WrappingKeyFingerprint { get; init; }
    public int? WrappingKeyBits { get; init; }
    /// <summary>Which construction computed the wrap where the key store chose one (a PKCS#11 token's mechanisms).</summary>
    public string? Construction { get; init; }
    public string? OutputDirectory { get; init; }
    public IReadOnlyList<AuditFile> Files { get; init; } = [];
    public string? Error { get; init; }
    public string? Note { get; init; }
    /// <summary>SHA-256 (hex) of the previous line's bytes; 64 zeros on the first line.</summary>
    public string Prev { get; init; } = "";

    /// <summary>The entry as one line of compact JSON (no newline), fields always in this order and always present.</summary>
    public byte[] ToLine()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, TextFormats.Json))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", Seq);
            json.WriteString("time", TextFormats.Utc(Time, TextFormats.PreciseTimestamp));
            json.WriteString("event", Event);
            json.WriteString("outcome", Outcome);
            Text(json, "user", User);
            Text(json, "host", Host);
            Text(json, "tool", Tool);
            Text(json, "keyStore", KeyStore);
            Number(json, "module", Module);
            Text(json, "key", Key);
            Text(json, "keyId", KeyId);
            Text(json, "keyType", KeyType);
            Text(json, "protection", Protection);
            Text(json, "keyFingerprint", KeyFingerprint);
            Text(json, "keyCheckValue", KeyCheckValue);
            Text(json, "provider", Provider);
            Text(json, "wrapAlgorithm", WrapAlgorithm);
            Text(json, "wrappingKeyFingerprint", WrappingKeyFingerprint);
            Number(json, "wrappingKeyBits", WrappingKeyBits);
            Text(json, "construction", Construction);
            Text(json, "outputDirectory", OutputDirectory);
            json.WriteStartArray("files");
            foreach (var file in Files)
            {
                json.WriteStartObject();
                json.WriteString("name", file.Name);
                json.WriteString("sha256", file.Sha256);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            Text(json, "error", Error);
            Text(json, "note", Note);
            json.WriteString("prev", Prev);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Parses one line; null when it is not an entry this tool wrote (the verifier says which line).</summary>
    public static AuditEntry? TryParse(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            var prev = root.GetProperty("prev").GetString();
            if (prev is null || prev.Length != 64 || !prev.All(char.IsAsciiHexDigitLower)) return null;
            return new AuditEntry
            {
                Seq = root.GetProperty("seq").GetInt64(),
                Time = DateTimeOffset.Parse(root.GetProperty("time").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                Event = root.GetProperty("event").GetString()!,
                Outcome = root.GetProperty("outcome").GetString()!,
                User = Text(root, "user"),
                Host = Text(root, "host"),
                Tool = Text(root, "tool"),
                KeyStore = Text(root, "keyStore"),
                Module = Number(root, "module"),
                Key = Text(root, "key"),
                KeyId = Text(root, "keyId"),
                KeyType = Text(root, "keyType"),
                Protection = Text(root, "protection"),
                KeyFingerprint = Text(root, "keyFingerprint"),
                KeyCheckValue = Text(root, "keyCheckValue"),
                Provider = Text(root, "provider"),
                WrapAlgorithm = Text(root, "wrapAlgorithm"),
                WrappingKeyFingerprint = Text(root, "wrappingKeyFingerprint"),
                WrappingKeyBits = Number(root, "wrappingKeyBits"),
                Construction = Text(root, "construction"),
                OutputDirectory = Text(root, "outputDirectory"),
                Files = root.TryGetProperty("files", out var files) && files.ValueKind == JsonValueKind.Array
                    ? files.EnumerateArray().Select(f => new AuditFile(f.GetProperty("name").GetString()!, f.GetProperty("sha256").GetString()!)).ToList()
                    : [],
                Error = Text(root, "error"),
                Note = Text(root, "note"),
                Prev = prev,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or NullReferenceException)
        {
            return null;
        }
    }

    static void Text(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }

    static void Number(Utf8JsonWriter json, string name, int? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteNumber(name, value.Value);
    }

    static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static int? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
}
