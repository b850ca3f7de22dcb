using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CloudIntegration.IO;

/// <summary>How times and JSON are written everywhere: stored files, the audit trail, reports. Defined once.</summary>
public static class TextFormats
{
    /// <summary>ISO 8601 UTC to the second: stored files' <c>created</c>, listings.</summary>
    public const string Timestamp = "yyyy-MM-ddTHH:mm:ssZ";
    /// <summary>ISO 8601 UTC to the millisecond: audit entries, which a busy ceremony writes several of per second.</summary>
    public const string PreciseTimestamp = "yyyy-MM-ddTHH:mm:ss.fffZ";
    /// <summary>For people reading a trail: a space instead of the T, the Z left to the caller.</summary>
    public const string ReadableTime = "yyyy-MM-dd HH:mm:ss";
    public const string Date = "yyyy-MM-dd";
    /// <summary>Basic ISO 8601 UTC, for file names (no colons, which Windows refuses).</summary>
    public const string FileNameTimestamp = "yyyyMMdd'T'HHmmss'Z'";

    public static string Utc(DateTimeOffset time, string format = Timestamp) =>
        time.UtcDateTime.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Compact JSON with '+', '&lt;' and '&amp;' unescaped, so base64 and URLs read as they are (files, audit lines).</summary>
    public static JsonWriterOptions Json { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Base64 as this tool writes it and nothing else. <see cref="Convert.FromBase64String"/> ignores the unused low
    /// bits of the last character, so "QR==" and "QQ==" both decode to one byte: a changed file would read as the
    /// original. Stored files are compared to their re-encoding so every changed byte is refused.
    /// </summary>
    public static byte[] CanonicalBase64(string text) => CanonicalBase64(System.Text.Encoding.ASCII.GetBytes(text));

    /// <summary>The same for base64 text as bytes (a line of a key file), without making strings of it.</summary>
    public static byte[] CanonicalBase64(ReadOnlySpan<byte> utf8)
    {
        // Canonical text is whole groups of four with at most two '=' at the end, so the decoded length is known.
        if (utf8.Length % 4 != 0) throw new FormatException("not canonical base64");
        var padding = utf8.EndsWith("=="u8) ? 2 : utf8.EndsWith("="u8) ? 1 : 0;
        var decoded = new byte[utf8.Length / 4 * 3 - padding];
        if (Base64.DecodeFromUtf8(utf8, decoded, out var consumed, out var written) != OperationStatus.Done ||
            consumed != utf8.Length || written != decoded.Length)
        {
            throw new FormatException("not base64");
        }
        Span<byte> again = utf8.Length <= 1024 ? stackalloc byte[utf8.Length] : new byte[utf8.Length];
        if (Base64.EncodeToUtf8(decoded.AsSpan(0, written), again, out _, out var length) != OperationStatus.Done ||
            !again[..length].SequenceEqual(utf8))
        {
            throw new FormatException("not canonical base64");
        }
        return decoded;
    }

    /// <summary>The same, indented for people (reports, <c>--json</c>, provider files meant to be read).</summary>
    public static JsonWriterOptions IndentedJson { get; } = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
