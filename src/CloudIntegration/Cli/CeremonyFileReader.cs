using System.Text.Json;
using CloudIntegration.Errors;

namespace CloudIntegration.Cli;

/// <summary>
/// Reads a ceremony file (JSON; comments and trailing commas allowed) into a <see cref="CeremonyDocument"/>. Only the
/// shape is checked here: a file that is not JSON, a field of the wrong kind, an unknown or missing field is a usage
/// error (exit 2) naming the line and the field. Whether the values make sense is <see cref="CeremonyCheck"/>'s job.
/// A forward-only reader, not reflection, so the native build needs no serializer metadata.
/// </summary>
public static class CeremonyFileReader
{
    /// <summary>The largest file read: a ceremony of tens of thousands of exports fits; a device or a log does not.</summary>
    public const int MaximumBytes = 64 << 20;

    static readonly string[] TopFields = ["$schema", "title", "pkcs11Library", "exports"];
    static readonly string[] ExportFields =
        ["provider", "keyName", "keyType", "protection", "wrappingKey", "wrappingKeyFingerprint", "wrapAlg", "azureKek", "outputDir", "note"];
    static readonly string[] RequiredExportFields = ["provider", "keyName", "wrappingKey", "wrappingKeyFingerprint"];

    public static CeremonyDocument Read(string path)
    {
        var content = ReadBounded(path);
        return Parse(Path.GetFullPath(path), content);
    }

    public static CeremonyDocument Parse(string path, byte[] content)
    {
        var lines = new LineIndex(content);
        var reader = new Utf8JsonReader(content, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        try
        {
            return ParseDocument(ref reader, path, content, lines);
        }
        catch (JsonException e)
        {
            // The reader's own message is a resource text; say it in our words, with the place it gives.
            var line = (e.LineNumber ?? 0) + 1;
            var column = (e.BytePositionInLine ?? 0) + 1;
            throw UsageErrors.CeremonyFileMalformed(path, (int)line, null, $"this is not valid JSON (at column {column})");
        }
    }

    static CeremonyDocument ParseDocument(ref Utf8JsonReader reader, string path, byte[] content, LineIndex lines)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw UsageErrors.CeremonyFileMalformed(path, lines.Of(reader.TokenStartIndex), null, "expected a JSON object with an \"exports\" list");
        }
        string? title = null, library = null;
        List<CeremonyExportEntry>? exports = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Field(ref reader, path, lines, TopFields, seen, "");
            reader.Read();
            switch (field)
            {
                case "$schema": Text(ref reader, path, lines, field); break;
                case "title": title = Text(ref reader, path, lines, field); break;
                case "pkcs11Library": library = Text(ref reader, path, lines, field); break;
                case "exports": exports = Exports(ref reader, path, lines); break;
                default: throw new InvalidOperationException("unreachable: Field() admits only TopFields");
            }
        }
        var end = reader.TokenStartIndex;
        if (reader.Read()) throw UsageErrors.CeremonyFileMalformed(path, lines.Of(reader.TokenStartIndex), null, "unexpected text after the end of the object");
        if (exports is null) throw UsageErrors.CeremonyFileMalformed(path, lines.Of(end), "exports", "the field is missing (a list of exports)");
        return new CeremonyDocument(path, CeremonyDocument.HashOf(content), title, library, exports);
    }

    static List<CeremonyExportEntry> Exports(ref Utf8JsonReader reader, string path, LineIndex lines)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw UsageErrors.CeremonyFileMalformed(path, lines.Of(reader.TokenStartIndex), "exports", "expected a list of exports ([ {...}, ... ])");
        }
        var listLine = lines.Of(reader.TokenStartIndex);
        var exports = new List<CeremonyExportEntry>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var prefix = $"exports[{exports.Count}]";
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw UsageErrors.CeremonyFileMalformed(path, lines.Of(reader.TokenStartIndex), prefix, "expected an object describing one export");
            }
            exports.Add(Export(ref reader, path, lines, exports.Count + 1, prefix));
        }
        if (exports.Count == 0) throw UsageErrors.CeremonyFileMalformed(path, listLine, "exports", "the list is empty (expected at least one export)");
        return exports;
    }

    static CeremonyExportEntry Export(ref Utf8JsonReader reader, string path, LineIndex lines, int number, string prefix)
    {
        var line = lines.Of(reader.TokenStartIndex);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Field(ref reader, path, lines, ExportFields, values.Keys.ToHashSet(), prefix + ".");
            reader.Read();
            values[field] = Text(ref reader, path, lines, $"{prefix}.{field}");
        }
        foreach (var required in RequiredExportFields)
        {
            if (!values.ContainsKey(required))
            {
                throw UsageErrors.CeremonyFileMalformed(path, line, $"{prefix}.{required}", "the field is missing (every export needs " +
                    string.Join(", ", RequiredExportFields) + ")");
            }
        }
        return new CeremonyExportEntry(
            number, line, values["provider"], values["keyName"], values.GetValueOrDefault("keyType"),
            values.GetValueOrDefault("protection") ?? "module", values["wrappingKey"], values["wrappingKeyFingerprint"],
            values.GetValueOrDefault("wrapAlg"), values.GetValueOrDefault("azureKek"), values.GetValueOrDefault("outputDir") ?? ".");
    }

    static string Field(ref Utf8JsonReader reader, string path, LineIndex lines, string[] known, ISet<string> seen, string prefix)
    {
        var name = reader.GetString()!;
        var line = lines.Of(reader.TokenStartIndex);
        if (!known.Contains(name, StringComparer.Ordinal))
        {
            throw UsageErrors.CeremonyFileMalformed(path, line, prefix + name, "unknown field (expected one of: " + string.Join(", ", known) + ")");
        }
        if (!seen.Add(name)) throw UsageErrors.CeremonyFileMalformed(path, line, prefix + name, "the field is given twice");
        return name;
    }

    static string Text(ref Utf8JsonReader reader, string path, LineIndex lines, string field)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw UsageErrors.CeremonyFileMalformed(path, lines.Of(reader.TokenStartIndex), field, "expected a string in double quotes");
        }
        return reader.GetString()!;
    }

    static byte[] ReadBounded(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.CanSeek && stream.Length > MaximumBytes) throw RuntimeErrors.CeremonyFileUnreadable(path, $"it is larger than {MaximumBytes >> 20} MiB");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            if (buffer.Length > MaximumBytes) throw RuntimeErrors.CeremonyFileUnreadable(path, $"it is larger than {MaximumBytes >> 20} MiB");
            return buffer.ToArray();
        }
        catch (FileNotFoundException) { throw RuntimeErrors.CeremonyFileUnreadable(path, "there is no such file"); }
        catch (DirectoryNotFoundException) { throw RuntimeErrors.CeremonyFileUnreadable(path, "there is no such file"); }
        catch (UnauthorizedAccessException) { throw RuntimeErrors.CeremonyFileUnreadable(path, "permission denied"); }
        catch (IOException e) { throw RuntimeErrors.CeremonyFileUnreadable(path, e.Message.TrimEnd('.')); }
    }

    /// <summary>Line numbers (from 1) of byte offsets.</summary>
    sealed class LineIndex
    {
        readonly List<long> _starts = [0];

        public LineIndex(byte[] content)
        {
            for (var i = 0; i < content.Length; i++) if (content[i] == (byte)'\n') _starts.Add(i + 1);
        }

        public int Of(long offset)
        {
            var index = _starts.BinarySearch(offset);
            return (index >= 0 ? index : ~index - 1) + 1;
        }
    }
}
