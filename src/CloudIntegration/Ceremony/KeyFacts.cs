using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using CloudIntegration.Audit;
using CloudIntegration.IO;
using CloudIntegration.Keys;
using CloudIntegration.KeyStores;

namespace CloudIntegration.Ceremony;

/// <summary>
/// The public facts of a stored key as the ceremony shows them: the SHA-256 fingerprint of an RSA or EC key's
/// SubjectPublicKeyInfo (what <c>aws kms get-public-key</c>, <c>gcloud kms keys versions get-public-key</c> and
/// <c>az keyvault key download</c> give, hashed) or an AES key's check value, and the public key itself.
/// </summary>
public static class KeyFacts
{
    public static string? CheckValue(KeyRecord key) => key.CheckValue is null ? null : Convert.ToHexStringLower(key.CheckValue);

    public static string? Fingerprint(KeyRecord key) => key.PublicKey is null ? null : key.Fingerprint;

    /// <summary>One line that identifies the key to someone comparing it with the provider's copy.</summary>
    public static string Identity(KeyRecord key) =>
        Fingerprint(key) is { } fingerprint ? $"public key SHA-256 fingerprint: {fingerprint} (of the SubjectPublicKeyInfo)"
        : CheckValue(key) is { } kcv ? $"key check value: {kcv} ({KeyCheckValue.Describe(key.Type)})"
        : "no public fingerprint or check value is known for this key";

    /// <summary>A short form for the inventory table: 16 hex digits of the fingerprint, or the check value.</summary>
    public static string Short(KeyRecord key, int fingerprintCharacters = 16) =>
        Fingerprint(key) is { } fingerprint ? fingerprint[..fingerprintCharacters] : CheckValue(key) is { } kcv ? "kcv " + kcv : "-";

    public static string? Pem(KeyRecord key) => key.PublicKey is null ? null : PemEncoding.WriteString("PUBLIC KEY", key.PublicKey);

    /// <summary>The key's properties, in the order both 'keys' and the export's JSON use.</summary>
    public static void WriteJson(Utf8JsonWriter json, KeyRecord key, bool withPublicKey)
    {
        json.WriteString("name", key.Name.Value);
        json.WriteString("type", key.Type.Name);
        json.WriteString("protection", key.Protection.Encode());
        json.WriteString("id", key.Id);
        json.WriteString("created", TextFormats.Utc(key.Created));
        Nullable(json, "fingerprint", Fingerprint(key));
        Nullable(json, "checkValue", CheckValue(key));
        if (withPublicKey) Nullable(json, "publicKeyPem", Pem(key));
    }

    public static void Nullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }
}

/// <summary>What the inventory shows of an export: when, for which provider, its audit entry and the files' names.</summary>
public sealed record LastExport(DateTimeOffset Time, string? Provider, long Seq, IReadOnlyList<string> Files)
{
    public static LastExport Of(AuditEntry entry) => new(entry.Time, entry.Provider, entry.Seq, [.. entry.Files.Select(f => f.Name)]);
}

/// <summary>
/// How often a key was exported, from the audit trail. Entries count only for the same key id, so a key destroyed
/// and generated again under the same name starts from zero.
/// </summary>
public sealed record ExportHistory(int Count, LastExport? Last)
{
    public static readonly ExportHistory None = new(0, null);

    public static ExportHistory Of(KeyRecord key, IEnumerable<AuditEntry> entries)
    {
        var tally = new Tally();
        foreach (var entry in entries) tally.Add(entry);
        return tally.For(key);
    }

    /// <summary>
    /// Every key's history from one pass over the trail's entries, keeping only what the inventory shows: a world's
    /// listing then holds no audit entries (100,000 keys have 100,000 or more).
    /// </summary>
    public sealed class Tally
    {
        readonly Dictionary<(string Key, string? Id), ExportHistory> _byKey = [];

        /// <summary>Counts <paramref name="entry"/> when it records a successful export; anything else is ignored.</summary>
        public void Add(AuditEntry entry)
        {
            if (entry is not { Event: AuditEntry.Export, Outcome: AuditEntry.Ok, Key: { } name }) return;
            ref var history = ref CollectionsMarshal.GetValueRefOrAddDefault(_byKey, (name, entry.KeyId), out _);
            history = new ExportHistory((history?.Count ?? 0) + 1, LastExport.Of(entry));
        }

        public ExportHistory For(KeyRecord key) => _byKey.GetValueOrDefault((key.Name.Value, key.Id), None);
    }

    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteNumber("exports", Count);
        if (Last is null)
        {
            json.WriteNull("lastExport");
            return;
        }
        json.WriteStartObject("lastExport");
        json.WriteString("time", TextFormats.Utc(Last.Time));
        KeyFacts.Nullable(json, "provider", Last.Provider);
        json.WriteNumber("auditEntry", Last.Seq);
        json.WriteStartArray("files");
        foreach (var file in Last.Files) json.WriteStringValue(file);
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
