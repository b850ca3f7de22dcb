using System.Security.Cryptography;
using System.Text;

namespace CloudIntegration.Audit;

/// <summary>
/// Each line's own MAC: HMAC-SHA256 under a key derived from the seal key, over the line as it would be without the
/// MAC, added as the last field: <c>...,"prev":"&lt;hex&gt;","mac":"&lt;hex&gt;"}</c>. The head seals the end of the trail;
/// the line MAC proves that a line beyond the head was written by the tool (someone with write access but without
/// the world key cannot make one), which is what lets an append interrupted before its head was written be resealed
/// (see <see cref="AuditTrail"/>). Lines written before this field existed have none and stay valid.
/// </summary>
public static class AuditLineMac
{
    public enum Check { Valid, Missing, Invalid }

    const string Purpose = "cloud_integration_tool audit line mac v1";
    static readonly byte[] Field = ",\"mac\":\""u8.ToArray();
    // ,"mac":" + 64 hex digits + "}
    static readonly int Suffix = Field.Length + 64 + 2;

    /// <summary>The line with its MAC: <paramref name="body"/> is one JSON object, as <see cref="AuditEntry.ToLine"/> makes it.</summary>
    public static byte[] Sign(ReadOnlySpan<byte> body, ReadOnlySpan<byte> sealKey)
    {
        var mac = Compute(body, sealKey);
        var line = new byte[body.Length - 1 + Suffix];
        body[..^1].CopyTo(line);
        Field.CopyTo(line, body.Length - 1);
        Encoding.ASCII.GetBytes(Convert.ToHexStringLower(mac), line.AsSpan(body.Length - 1 + Field.Length));
        line[^2] = (byte)'"';
        line[^1] = (byte)'}';
        return line;
    }

    /// <summary>Whether the line carries a MAC, and if so whether it verifies (constant time).</summary>
    public static Check Verify(ReadOnlySpan<byte> line, ReadOnlySpan<byte> sealKey)
    {
        if (!TrySplit(line, out var bodyWithoutBrace, out var hex)) return Check.Missing;
        if (hex.IndexOfAnyExcept("0123456789abcdef"u8) >= 0) return Check.Invalid;
        var body = new byte[bodyWithoutBrace.Length + 1];
        bodyWithoutBrace.CopyTo(body);
        body[^1] = (byte)'}';
        var expected = Compute(body, sealKey);
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(Encoding.ASCII.GetString(hex))) ? Check.Valid : Check.Invalid;
    }

    /// <summary>Whether the line ends with a MAC field (checked or not).</summary>
    public static bool HasMac(ReadOnlySpan<byte> line) => TrySplit(line, out _, out _);

    static bool TrySplit(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> bodyWithoutBrace, out ReadOnlySpan<byte> hex)
    {
        bodyWithoutBrace = default;
        hex = default;
        if (line.Length < Suffix + 2 || !line.EndsWith("\"}"u8)) return false;
        var start = line.Length - Suffix;
        if (!line[start..].StartsWith(Field)) return false;
        bodyWithoutBrace = line[..start];
        hex = line.Slice(start + Field.Length, 64);
        return true;
    }

    static byte[] Compute(ReadOnlySpan<byte> body, ReadOnlySpan<byte> sealKey)
    {
        Span<byte> lineKey = stackalloc byte[32];
        try
        {
            HMACSHA256.HashData(sealKey, Encoding.ASCII.GetBytes(Purpose), lineKey);
            return HMACSHA256.HashData(lineKey, body);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(lineKey);
        }
    }
}
