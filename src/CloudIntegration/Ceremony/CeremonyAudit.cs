using System.Security.Cryptography;
using CloudIntegration.Audit;
using CloudIntegration.Cli;
using CloudIntegration.Errors;
using CloudIntegration.KeyStores;
using CloudIntegration.KeyStores.SoftwareWorld;

namespace CloudIntegration.Ceremony;

/// <summary>
/// The audit trail of this machine, as commands use it. It always lives in the embedded world directory, whatever key
/// store a command runs against: that directory exists on every ceremony machine, and its world key is what seals
/// the trail, so a PKCS#11 ceremony is recorded and sealed the same way as an embedded one.
/// </summary>
public static class CeremonyAudit
{
    public static string Directory(ToolEnvironment env) => KeyStoreSelection.WorldRoot(env);

    public static AuditTrail Trail(ToolEnvironment env) => new(Directory(env));

    /// <summary>A new entry with who, where, when and which tool filled in.</summary>
    public static AuditEntry Stamp(ToolEnvironment env, string @event, string outcome)
    {
        var user = Environment.UserName;
        // Under sudo the account is root; the person is the one sudo names.
        if (env.Variable("SUDO_USER") is { Length: > 0 } sudoUser && sudoUser != user) user += $" (sudo by {sudoUser})";
        return new AuditEntry
        {
            Time = DateTimeOffset.UtcNow,
            Event = @event,
            Outcome = outcome,
            User = user,
            Host = Environment.MachineName,
            Tool = $"{env.ProgramName} {ToolEnvironment.Version}",
        };
    }

    /// <summary>The public facts of a key: name, id, type, protection, and its fingerprint or check value.</summary>
    public static AuditEntry About(this AuditEntry entry, KeyRecord key) => entry with
    {
        Key = key.Name.Value,
        KeyId = key.Id,
        KeyType = key.Type.Name,
        Protection = key.Protection.Encode(),
        KeyFingerprint = key.PublicKey is null ? null : key.Fingerprint,
        KeyCheckValue = key.CheckValue is null ? null : Convert.ToHexStringLower(key.CheckValue),
    };

    /// <summary>
    /// Throws unless the trail can take a record. Called before a key is generated, exported or destroyed, so a broken
    /// trail stops the operation before it happens instead of leaving it unrecorded.
    /// </summary>
    public static void CheckAppendable(ToolEnvironment env) =>
        WithSealKey(env, key => Trail(env).CheckAppendable(key));

    /// <summary>Appends the entries; returns them numbered as written.</summary>
    public static IReadOnlyList<AuditEntry> Append(ToolEnvironment env, params AuditEntry[] entries)
    {
        IReadOnlyList<AuditEntry> written = [];
        WithSealKey(env, key => written = Trail(env).Append(entries, key));
        return written;
    }

    /// <summary>
    /// Records a refused operation. It never hides the refusal itself: if the record cannot be written, stderr says so
    /// and the caller goes on to report the original error. Nothing is recorded before a world exists, so a mistyped
    /// command on a fresh machine does not create one.
    /// </summary>
    public static void TryRecordRefusal(ToolEnvironment env, AuditEntry entry)
    {
        if (!System.IO.Directory.Exists(Directory(env))) return;
        try
        {
            Append(env, entry);
        }
        catch (ToolError e)
        {
            env.Err.WriteLine("warning: this refusal could not be recorded in the audit trail: " + e.Message);
        }
    }

    /// <summary>SHA-256 of each file as written, for the record.</summary>
    public static IReadOnlyList<AuditFile> Hashes(IEnumerable<string> paths) =>
        paths.Select(p => new AuditFile(Path.GetFileName(p), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p))))).ToList();

    static void WithSealKey(ToolEnvironment env, Action<byte[]> use)
    {
        byte[] key;
        using (var world = SoftwareWorld.OpenOrCreateKeyDerivation(Directory(env), env.Err)) key = AuditSeal.DeriveKey(world);
        try
        {
            use(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
