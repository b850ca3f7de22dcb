using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CloudIntegration.IO;
using CloudIntegration.Keys;

namespace CloudIntegration.KeyStores.SoftwareWorld;

/// <summary>
/// The on-disk form of one key, four text lines:
/// <code>
/// cloud_integration_tool key v1
/// {"name":...,"type":...,"protection":...,"id":...,"created":...,"publicKey":...,"checkValue":...}
/// base64(HMAC-SHA256 of lines 1-2 under the world's header key)
/// base64(nonce || AES-256-GCM ciphertext || tag), with lines 1-2 as associated data
/// </code>
/// The header is authenticated twice: by the HMAC, so inventory needs no passphrase, and as GCM associated data, so
/// name, type and protection are bound to the key material itself.
/// </summary>
sealed class KeyFile
{
    /// <summary>The first line, with its newline.</summary>
    static ReadOnlySpan<byte> MagicLine => "cloud_integration_tool key v1\n"u8;
    /// <summary>Far more than the largest key (an RSA-4096 private key with its public key is under 6 KiB of text).</summary>
    public const int MaxBytes = 64 << 10;
    const int NonceBytes = 12;
    const int TagBytes = 16;

    public required KeyRecord Record { get; init; }
    /// <summary>Lines 1-2 without the newline after them (a slice of the file as read).</summary>
    public required ReadOnlyMemory<byte> AuthenticatedHeader { get; init; }
    public required byte[] HeaderMac { get; init; }
    public required byte[] Sealed { get; init; }

    public static byte[] Header(KeyRecord record)
    {
        using var buffer = new MemoryStream();
        buffer.Write(MagicLine);
        using (var json = new Utf8JsonWriter(buffer, TextFormats.Json))
        {
            json.WriteStartObject();
            json.WriteString("name", record.Name.Value);
            json.WriteString("type", record.Type.Name);
            json.WriteString("protection", record.Protection.Encode());
            json.WriteString("id", record.Id);
            json.WriteString("created", TextFormats.Utc(record.Created));
            if (record.PublicKey is not null) json.WriteString("publicKey", Convert.ToBase64String(record.PublicKey));
            if (record.CheckValue is not null) json.WriteString("checkValue", Convert.ToHexStringLower(record.CheckValue));
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static byte[] Seal(ReadOnlySpan<byte> header, ReadOnlySpan<byte> sealingKey, ReadOnlySpan<byte> headerKey, ReadOnlySpan<byte> material)
    {
        var sealedBytes = new byte[NonceBytes + material.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using (var gcm = new AesGcm(sealingKey, TagBytes))
        {
            gcm.Encrypt(nonce, material, sealedBytes.AsSpan(NonceBytes, material.Length), sealedBytes.AsSpan(NonceBytes + material.Length), header);
        }
        var text = new StringBuilder();
        text.Append(Encoding.ASCII.GetString(header)).Append('\n');
        text.Append(Convert.ToBase64String(HMACSHA256.HashData(headerKey, header))).Append('\n');
        text.Append(Convert.ToBase64String(sealedBytes)).Append('\n');
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>Opens the sealed material into <paramref name="destination"/>; false when any byte was changed.</summary>
    public bool TryOpen(ReadOnlySpan<byte> sealingKey, Span<byte> destination)
    {
        if (Sealed.Length < NonceBytes + TagBytes || destination.Length != MaterialLength) return false;
        try
        {
            using var gcm = new AesGcm(sealingKey, TagBytes);
            gcm.Decrypt(Sealed.AsSpan(0, NonceBytes), Sealed.AsSpan(NonceBytes, MaterialLength), Sealed.AsSpan(NonceBytes + MaterialLength),
                        destination, AuthenticatedHeader.Span);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(destination);
            return false;
        }
    }

    public int MaterialLength => Math.Max(0, Sealed.Length - NonceBytes - TagBytes);

    public enum ParseResult { Ok, ForeignFormat, Damaged }

    /// <summary>Parses the file. Nothing is trusted until <see cref="HeaderMac"/> is checked by the caller.</summary>
    public static ParseResult TryParse(byte[] file, string location, out KeyFile? parsed)
    {
        parsed = null;
        if (!file.AsSpan().StartsWith(MagicLine)) return ParseResult.ForeignFormat;
        // Exactly four lines, each ending in a newline. Read as bytes: listing a world reads every key file.
        Span<int> ends = stackalloc int[4];
        var count = 0;
        for (var i = 0; i < file.Length; i++)
        {
            if (file[i] != (byte)'\n') continue;
            if (count == ends.Length) return ParseResult.Damaged;
            ends[count++] = i;
        }
        if (count != ends.Length || ends[3] != file.Length - 1) return ParseResult.Damaged;
        try
        {
            var header = file.AsMemory(0, ends[1]);
            var mac = TextFormats.CanonicalBase64(file.AsSpan(ends[1] + 1, ends[2] - ends[1] - 1));
            var sealedBytes = TextFormats.CanonicalBase64(file.AsSpan(ends[2] + 1, ends[3] - ends[2] - 1));
            if (ParseHeader(file.AsSpan(ends[0] + 1, ends[1] - ends[0] - 1), location) is not { } record) return ParseResult.Damaged;
            parsed = new KeyFile { Record = record, AuthenticatedHeader = header, HeaderMac = mac, Sealed = sealedBytes };
            return ParseResult.Ok;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return ParseResult.Damaged;
        }
    }

    /// <summary>
    /// The record in line 2, read in one pass; null when a required property is missing or not a string. Throws
    /// FormatException, JsonException or InvalidOperationException for values that do not parse.
    /// </summary>
    static KeyRecord? ParseHeader(ReadOnlySpan<byte> line, string location)
    {
        string? name = null, type = null, protection = null, id = null, created = null, publicKey = null, checkValue = null;
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref var field = ref name;
            if (reader.ValueTextEquals("name"u8)) field = ref name;
            else if (reader.ValueTextEquals("type"u8)) field = ref type;
            else if (reader.ValueTextEquals("protection"u8)) field = ref protection;
            else if (reader.ValueTextEquals("id"u8)) field = ref id;
            else if (reader.ValueTextEquals("created"u8)) field = ref created;
            else if (reader.ValueTextEquals("publicKey"u8)) field = ref publicKey;
            else if (reader.ValueTextEquals("checkValue"u8)) field = ref checkValue;
            else
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            reader.Read();
            field = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new FormatException("not a string");
        }
        if (reader.TokenType != JsonTokenType.EndObject) return null;
        if (name is null || type is null || protection is null || id is null || created is null || !KeyName.IsValid(name)) return null;
        return new KeyRecord(
            KeyName.Parse(name),
            KeyType.Find(type) ?? throw new FormatException("type"),
            Protection.Decode(protection) ?? throw new FormatException("protection"),
            id,
            DateTimeOffset.Parse(created, CultureInfo.InvariantCulture),
            publicKey is null ? null : TextFormats.CanonicalBase64(publicKey),
            checkValue is null ? null : Convert.FromHexString(checkValue),
            location);
    }
}
