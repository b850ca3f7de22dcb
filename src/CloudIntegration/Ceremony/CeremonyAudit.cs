using System.Security.Cryptography;
using CloudIntegration.Audit;
using CloudIntegration.Errors;
using CloudIntegration.KeyStores;
using CloudIntegration.KeyStores.SoftwareWorld;

namespace CloudIntegration.Ceremony;

/// <summary>Who runs a command, on which host, with which tool: what every audit entry records about its author.</summary>
public sealed record AuditAuthor(string User, string Host, string Tool)
{
    /// <summary>The account running the process; under sudo it is root, and the person is the one sudo names.</summary>
    public static AuditAuthor OfThisProcess(string? sudoUser, string tool)
    {
        var user = Environment.UserName;
        if (sudoUser is { Length: > 0 } && sudoUser != user) user += $" (sudo by {sudoUser})";
        return new AuditAuthor(user, Environment.MachineName, tool);
    }
}

/// <summary>
/// The audit trail of this machine, as one command uses it. It always lives in the embedded world directory, whatever
/// key store the command runs against: that directory exists on every ceremony machine, and its world key is what
/// seals the trail, so a PKCS#11 ceremony is recorded and sealed the same way as an embedded one. The seal key is
/// derived once per command from the command's <see cref="WorldSession"/> and zeroed by <see cref="Dispose"/>.
/// </summary>
public sealed class CeremonyAudit(WorldSession world, AuditAuthor author, Diagnostics diagnostics) : IDisposable
{
    byte[]? _sealKey;

    public AuditTrail Trail { get; } = new(world.Root) { Notice = diagnostics.Note };

    /// <summary>A new entry with who, where, when and which tool filled in.</summary>
    public AuditEntry Stamp(string @event, string outcome) => new()
    {
        Time = DateTimeOffset.UtcNow,
        Event = @event,
        Outcome = outcome,
        User = author.User,
        Host = author.Host,
        Tool = author.Tool,
    };

    /// <summary>
    /// Throws unless the trail can take a record. Called before a key is generated, exported or destroyed, so a broken
    /// trail stops the operation before it happens instead of leaving it unrecorded.
    /// </summary>
    public void CheckAppendable() => Trail.CheckAppendable(SealKey);

    /// <summary>Appends the entries; returns them numbered as written.</summary>
    public IReadOnlyList<AuditEntry> Append(params AuditEntry[] entries) => Trail.Append(entries, SealKey);

    /// <summary>
    /// Records a refused operation. It never hides the refusal itself: if the record cannot be written, the error line
    /// says so too. Nothing is recorded before a world exists, so a mistyped command on a fresh machine does not
    /// create one.
    /// </summary>
    public void TryRecordRefusal(AuditEntry entry)
    {
        if (!System.IO.Directory.Exists(world.Root)) return;
        try
        {
            Append(entry);
        }
        catch (ToolError e)
        {
            diagnostics.NoteForFailure("this refusal could not be recorded in the audit trail: " + e.Message);
        }
    }

    byte[] SealKey => _sealKey ??= AuditSeal.DeriveKey(world.KeyDerivation);

    public void Dispose()
    {
        if (_sealKey is not null) CryptographicOperations.ZeroMemory(_sealKey);
    }
}

public static class AuditEntries
{
    /// <summary>The public facts of a key: name, id, type, protection, and its fingerprint or check value.</summary>
    public static AuditEntry About(this AuditEntry entry, KeyRecord key) => entry with
    {
        Key = key.Name.Value,
        KeyId = key.Id,
        KeyType = key.Type.Name,
        Protection = key.Protection.Encode(),
        KeyFingerprint = KeyFacts.Fingerprint(key),
        KeyCheckValue = KeyFacts.CheckValue(key),
    };
}
