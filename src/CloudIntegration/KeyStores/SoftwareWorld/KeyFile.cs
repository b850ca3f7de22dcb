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
    public const string Magic = "cloud_integration_tool key v1";
    const int NonceBytes = 12;
    const int TagBytes = 16;

    public required KeyRecord Record { get; init; }
    public required byte[] AuthenticatedHeader { get; init; }
    public required byte[] HeaderMac { get; init; }
    public required byte[] Sealed { get; init; }

    public static byte[] Header(KeyRecord record)
    {
        using var buffer = new MemoryStream();
        buffer.Write(Encoding.ASCII.GetBytes(Magic + "\n"));
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
                        destination, AuthenticatedHeader);
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

    /// <summary>Parses the file text. Nothing is trusted until <see cref="HeaderMac"/> is checked by the caller.</summary>
    public static ParseResult TryParse(byte[] file, out KeyFile? parsed)
    {
        parsed = null;
        var text = Encoding.ASCII.GetString(file);
        if (!text.StartsWith(Magic + "\n", StringComparison.Ordinal)) return ParseResult.ForeignFormat;
        var lines = text.Split('\n');
        if (lines.Length != 5 || lines[4].Length != 0) return ParseResult.Damaged;
        try
        {
            var header = Encoding.ASCII.GetBytes(lines[0] + "\n" + lines[1]);
            var mac = TextFormats.CanonicalBase64(lines[2]);
            var sealedBytes = TextFormats.CanonicalBase64(lines[3]);
            using var json = JsonDocument.Parse(lines[1]);
            var root = json.RootElement;
            var name = root.GetProperty("name").GetString()!;
            if (!KeyName.IsValid(name)) return ParseResult.Damaged;
            var record = new KeyRecord(
                KeyName.Parse(name),
                KeyType.Find(root.GetProperty("type").GetString()!) ?? throw new FormatException("type"),
                Protection.Decode(root.GetProperty("protection").GetString()!) ?? throw new FormatException("protection"),
                root.GetProperty("id").GetString()!,
                DateTimeOffset.Parse(root.GetProperty("created").GetString()!, CultureInfo.InvariantCulture),
                root.TryGetProperty("publicKey", out var pk) ? TextFormats.CanonicalBase64(pk.GetString()!) : null,
                root.TryGetProperty("checkValue", out var kcv) ? Convert.FromHexString(kcv.GetString()!) : null,
                "");
            parsed = new KeyFile { Record = record, AuthenticatedHeader = header, HeaderMac = mac, Sealed = sealedBytes };
            return ParseResult.Ok;
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return ParseResult.Damaged;
        }
    }
}
