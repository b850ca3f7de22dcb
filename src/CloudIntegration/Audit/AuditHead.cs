using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CloudIntegration.Audit;

/// <summary>
/// The sealed head of the trail (<c>audit.head</c>): how many lines the log has and the SHA-256 of the last one,
/// authenticated with HMAC-SHA256 under a key derived from the world key. The hash chain alone shows any change
/// inside the log; the head adds what the chain cannot show, lines cut off the end, and the seal stops anyone
/// without the world key from writing a head to match a log they changed.
/// <code>{"format":"cloud_integration_tool audit head v1","entries":12,"last":"&lt;hex&gt;","seal":"&lt;hex&gt;"}</code>
/// </summary>
public sealed record AuditHead(long Entries, string Last, string Seal)
{
    public const string Format = "cloud_integration_tool audit head v1";

    /// <summary>The <c>prev</c> of the first entry, and the <c>last</c> of an empty trail.</summary>
    public static readonly string Genesis = new('0', 64);

    public static AuditHead Make(long entries, string last, ReadOnlySpan<byte> sealKey) =>
        new(entries, last, Convert.ToHexStringLower(HMACSHA256.HashData(sealKey, SealedText(entries, last))));

    /// <summary>Constant-time check of the seal.</summary>
    public bool SealIsValid(ReadOnlySpan<byte> sealKey)
    {
        if (Seal.Length != 64 || !Seal.All(char.IsAsciiHexDigitLower)) return false;
        return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(sealKey, SealedText(Entries, Last)), Convert.FromHexString(Seal));
    }

    /// <summary>Exactly what the seal covers: the format, the count and the last hash, one per line.</summary>
    static byte[] SealedText(long entries, string last) =>
        Encoding.ASCII.GetBytes($"{Format}\n{entries.ToString(CultureInfo.InvariantCulture)}\n{last}\n");

    /// <summary>SHA-256 of one line's bytes (without its newline), lowercase hex: what the next line's <c>prev</c> holds.</summary>
    public static string LineHash(ReadOnlySpan<byte> line) => Convert.ToHexStringLower(SHA256.HashData(line));

    public byte[] ToFile()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("entries", Entries);
            json.WriteString("last", Last);
            json.WriteString("seal", Seal);
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Null when the file is not a head of this format (edited beyond recognition, or not a head at all).</summary>
    public static AuditHead? TryParse(byte[] file)
    {
        try
        {
            using var document = JsonDocument.Parse(file);
            var root = document.RootElement;
            if (root.GetProperty("format").GetString() != Format) return null;
            var entries = root.GetProperty("entries").GetInt64();
            var last = root.GetProperty("last").GetString();
            var seal = root.GetProperty("seal").GetString();
            if (entries < 0 || last is null || last.Length != 64 || seal is null) return null;
            return new AuditHead(entries, last, seal);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
