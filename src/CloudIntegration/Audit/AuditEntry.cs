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

    /// <summary>The bytes every line recording a successful export contains, as <see cref="ToLine"/> writes it.</summary>
    public static ReadOnlySpan<byte> SuccessfulExportMarker => "\"event\":\"export\",\"outcome\":\"ok\""u8;

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

    /// <summary>
    /// Parses one line; null when it is not an entry this tool wrote (the verifier says which line). One pass over the
    /// line, each property taken as it comes, with little allocated: the inventory and the verifier parse every line
    /// of trails of hundreds of thousands. Properties this version does not know are skipped; seq, time, event,
    /// outcome and prev are required.
    /// </summary>
    public static AuditEntry? TryParse(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            var fields = _fields ??= new LineFields();
            fields.Clear();
            var expected = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = Identify(ref reader, expected);
                reader.Read();
                if (!fields.Take(property, ref reader)) return null;
                if (property != Property.Unknown) expected = (int)property + 1;
            }
            if (reader.TokenType != JsonTokenType.EndObject) return null;
            return fields.ToEntry();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The properties <see cref="ToLine"/> writes, in its order.</summary>
    enum Property
    {
        Seq, Time, Event, Outcome, User, Host, Tool, KeyStore, Module, Key, KeyId, KeyType, Protection, KeyFingerprint,
        KeyCheckValue, Provider, WrapAlgorithm, WrappingKeyFingerprint, WrappingKeyBits, Construction, OutputDirectory,
        Files, Error, Note, Prev, Unknown,
    }

    static readonly byte[][] PropertyNames =
    [
        .. new[]
        {
            "seq", "time", "event", "outcome", "user", "host", "tool", "keyStore", "module", "key", "keyId", "keyType",
            "protection", "keyFingerprint", "keyCheckValue", "provider", "wrapAlgorithm", "wrappingKeyFingerprint",
            "wrappingKeyBits", "construction", "outputDirectory", "files", "error", "note", "prev",
        }.Select(System.Text.Encoding.ASCII.GetBytes),
    ];

    /// <summary>Which property the reader is on; the one <see cref="ToLine"/> writes next is tried first.</summary>
    static Property Identify(ref Utf8JsonReader reader, int expected)
    {
        if (expected < PropertyNames.Length && reader.ValueTextEquals(PropertyNames[expected])) return (Property)expected;
        for (var i = 0; i < PropertyNames.Length; i++)
        {
            if (reader.ValueTextEquals(PropertyNames[i])) return (Property)i;
        }
        return Property.Unknown;
    }

    /// <summary>This thread's reader of lines, used again for every line it parses.</summary>
    [ThreadStatic] static LineFields? _fields;

    /// <summary>The properties of one line as they are read.</summary>
    sealed class LineFields
    {
        long? _seq;
        DateTimeOffset? _time;
        readonly string?[] _text = new string?[(int)Property.Unknown];
        readonly int?[] _number = new int?[(int)Property.Unknown];
        List<AuditFile>? _files;
        /// <summary>
        /// The last string read for each property that <see cref="Repeats"/>, reused when the next line has the same bytes
        /// there: user, host, tool, key store, provider and so on repeat line after line, and need not be made again.
        /// </summary>
        readonly (byte[]? Bytes, string Text)[] _recent = new (byte[]?, string)[(int)Property.Unknown];

        public void Clear()
        {
            _seq = null;
            _time = null;
            Array.Clear(_text);
            Array.Clear(_number);
            _files = null;
        }

        /// <summary>Takes the value the reader is on; false when it has the wrong kind for its property.</summary>
        public bool Take(Property property, ref Utf8JsonReader value)
        {
            switch (property)
            {
                case Property.Seq: _seq = value.GetInt64(); break;
                case Property.Time:
                    if (value.TokenType != JsonTokenType.String) return false;
                    _time = value.TryGetDateTimeOffset(out var time) ? time
                        : DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                    break;
                case Property.Module or Property.WrappingKeyBits: _number[(int)property] = Number(ref value); break;
                case Property.Files:
                    _files = null;
                    if (value.TokenType == JsonTokenType.StartArray) return TakeFiles(ref value);
                    value.Skip();
                    break;
                case Property.Unknown: value.Skip(); break;
                default: _text[(int)property] = Text(property, ref value); break;
            }
            return true;
        }

        bool TakeFiles(ref Utf8JsonReader reader)
        {
            _files = [];
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                string? name = null, sha256 = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isName = reader.ValueTextEquals("name"u8);
                    var isHash = reader.ValueTextEquals("sha256"u8);
                    reader.Read();
                    if (isName) name = Text(Property.Unknown, ref reader);
                    else if (isHash) sha256 = Text(Property.Unknown, ref reader);
                    else reader.Skip();
                }
                if (name is null || sha256 is null) return false;
                _files.Add(new AuditFile(name, sha256));
            }
            return reader.TokenType == JsonTokenType.EndArray;
        }

        public AuditEntry? ToEntry()
        {
            string? T(Property p) => _text[(int)p];
            if (_seq is not { } seq || _time is not { } time || T(Property.Event) is not { } @event || T(Property.Outcome) is not { } outcome) return null;
            if (T(Property.Prev) is not { Length: 64 } prev || !prev.All(char.IsAsciiHexDigitLower)) return null;
            return new AuditEntry
            {
                Seq = seq, Time = time, Event = @event, Outcome = outcome,
                User = T(Property.User), Host = T(Property.Host), Tool = T(Property.Tool), KeyStore = T(Property.KeyStore),
                Module = _number[(int)Property.Module],
                Key = T(Property.Key), KeyId = T(Property.KeyId), KeyType = T(Property.KeyType), Protection = T(Property.Protection),
                KeyFingerprint = T(Property.KeyFingerprint), KeyCheckValue = T(Property.KeyCheckValue),
                Provider = T(Property.Provider), WrapAlgorithm = T(Property.WrapAlgorithm),
                WrappingKeyFingerprint = T(Property.WrappingKeyFingerprint), WrappingKeyBits = _number[(int)Property.WrappingKeyBits],
                Construction = T(Property.Construction), OutputDirectory = T(Property.OutputDirectory),
                Files = _files ?? [], Error = T(Property.Error), Note = T(Property.Note), Prev = prev,
            };
        }

        /// <summary>A string (the previous line's, when the bytes are the same), or null for any other kind of value.</summary>
        string? Text(Property property, ref Utf8JsonReader value)
        {
            if (value.TokenType != JsonTokenType.String)
            {
                value.Skip();
                return null;
            }
            if (!Repeats(property) || value.ValueIsEscaped || value.HasValueSequence) return value.GetString();
            ref var last = ref _recent[(int)property];
            if (last.Bytes is not null && value.ValueSpan.SequenceEqual(last.Bytes)) return last.Text;
            var text = value.GetString()!;
            last = (value.ValueSpan.ToArray(), text);
            return text;
        }

        /// <summary>Properties whose value is usually the previous line's (not the key's own facts, not the chain).</summary>
        static bool Repeats(Property property) => property is Property.Event or Property.Outcome or Property.User or Property.Host
            or Property.Tool or Property.KeyStore or Property.KeyType or Property.Protection or Property.Provider or Property.WrapAlgorithm
            or Property.WrappingKeyFingerprint or Property.Construction or Property.OutputDirectory;

        static int? Number(ref Utf8JsonReader value)
        {
            if (value.TokenType == JsonTokenType.Number) return value.GetInt32();
            value.Skip();
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
}
