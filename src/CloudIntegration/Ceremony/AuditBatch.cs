using CloudIntegration.Audit;
using CloudIntegration.Ceremony;
using CloudIntegration.Cli;

namespace CloudIntegration.Ceremony;

/// <summary>
/// Lets a ceremony record many exports with a few appends: while a batch is current, <see cref="CeremonyAudit"/> checks
/// that the trail is appendable once, and queues entries instead of appending each (which reads the log to find its
/// end, and flushes). <see cref="Flush"/> appends what is queued in one <see cref="AuditTrail.Append"/>, numbered and
/// chained as usual, and returns each queued entry's written form. The ceremony flushes every
/// <see cref="FlushInterval"/> and at the end, before it reports anything as done, so at most that much work can be
/// unrecorded by a kill (its keys then show up as existing, and a re-run exports and records them).
/// </summary>
public sealed class AuditBatch : IDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    [ThreadStatic] static AuditBatch? _current;

    readonly ToolEnvironment _env;
    readonly List<AuditEntry> _queued = [];
    readonly Dictionary<AuditEntry, AuditEntry> _written = new(ReferenceEqualityComparer.Instance);
    DateTime _lastFlush = DateTime.UtcNow;

    AuditBatch(ToolEnvironment env)
    {
        _env = env;
        _current = this;
    }

    public static AuditBatch? Current => _current;

    public static AuditBatch Begin(ToolEnvironment env) => new(env);

    /// <summary>Whether the trail was found appendable in this batch already (it is checked again by each flush).</summary>
    public bool Checked { get; set; }

    public IReadOnlyList<AuditEntry> Queue(IReadOnlyList<AuditEntry> entries)
    {
        _queued.AddRange(entries);
        return entries;
    }

    public bool Due => _queued.Count > 0 && DateTime.UtcNow - _lastFlush >= FlushInterval;

    /// <summary>Appends everything queued; entries queued earlier can then be looked up by <see cref="Written"/>.</summary>
    public void Flush()
    {
        _lastFlush = DateTime.UtcNow;
        if (_queued.Count == 0) return;
        var pending = _queued.ToArray();
        _queued.Clear();
        _current = null;   // the append itself goes to the trail
        try
        {
            var written = CeremonyAudit.Append(_env, pending);
            for (var i = 0; i < pending.Length; i++) _written[pending[i]] = written[i];
        }
        finally
        {
            _current = this;
        }
    }

    /// <summary>The entry as written (numbered), or the entry itself if it has not been flushed.</summary>
    public AuditEntry? Written(AuditEntry? queued) => queued is not null && _written.TryGetValue(queued, out var written) ? written : queued;

    public void Dispose()
    {
        if (_current == this) _current = null;
    }
}
