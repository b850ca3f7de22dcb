using CloudIntegration.Audit;

namespace CloudIntegration.Ceremony;

/// <summary>
/// Lets a ceremony record many exports with a few appends: while a <see cref="CeremonyAudit"/> batches, it checks that
/// the trail is appendable once and queues entries instead of appending each (which reads the log to find its end and
/// flushes). <see cref="Flush"/> appends what is queued in one <see cref="AuditTrail.Append"/>, numbered and chained as
/// usual. The ceremony flushes every <see cref="FlushInterval"/>, after a failed export and at the end, before it
/// reports anything as done, so a kill can leave at most that much work unrecorded (its keys then show up as
/// existing keys, and a re-run exports and records them).
/// </summary>
public sealed class AuditBatch(Func<IReadOnlyList<AuditEntry>, IReadOnlyList<AuditEntry>> appendNow)
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    readonly List<(int Owner, AuditEntry Entry)> _queued = [];
    readonly Dictionary<AuditEntry, AuditEntry> _written = new(ReferenceEqualityComparer.Instance);
    DateTime _lastFlush = DateTime.UtcNow;

    /// <summary>Whether the trail was found appendable in this batch already (each flush checks it again).</summary>
    public bool Checked { get; set; }

    /// <summary>The export the next queued entries belong to (its number in the run), so they can be dropped with it.</summary>
    public int Owner { get; set; }

    public IReadOnlyList<AuditEntry> Queue(IReadOnlyList<AuditEntry> entries)
    {
        _queued.AddRange(entries.Select(e => (Owner, e)));
        return entries;
    }

    /// <summary>Drops the queued entries of the exports <paramref name="owners"/> picks (withdrawn before they were published).</summary>
    public void Drop(Func<int, bool> owners) => _queued.RemoveAll(q => owners(q.Owner));

    /// <summary>
    /// Time to append: a second has passed, or the queue is two lines short of what one append may write (an export
    /// queues at most two lines, so a batch never exceeds what a crash repair accepts; see AuditTrail.MaxLinesPerAppend).
    /// </summary>
    public bool Due => _queued.Count > 0 &&
                       (DateTime.UtcNow - _lastFlush >= FlushInterval || _queued.Count >= AuditTrail.MaxLinesPerAppend - 2);

    /// <summary>Appends everything queued; <see cref="Written"/> then gives each queued entry as written.</summary>
    public void Flush()
    {
        _lastFlush = DateTime.UtcNow;
        if (_queued.Count == 0) return;
        var pending = _queued.Select(q => q.Entry).ToArray();
        _queued.Clear();
        var written = appendNow(pending);
        for (var i = 0; i < pending.Length; i++) _written[pending[i]] = written[i];
    }

    /// <summary>The entry as written (numbered), or the entry itself if it has not been flushed.</summary>
    public AuditEntry? Written(AuditEntry? queued) => queued is not null && _written.TryGetValue(queued, out var written) ? written : queued;
}
