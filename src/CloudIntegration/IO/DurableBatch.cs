namespace CloudIntegration.IO;

/// <summary>
/// Groups the flushes of many writes into a few. While a batch is open on this thread, <see cref="AtomicFile"/> and
/// the audit trail write and rename as usual but, instead of one fsync per file and per directory, note the directory
/// they touched; <see cref="Barrier"/> then makes everything written so far durable at once (syncfs(2) on each file
/// system touched: file data, sizes, names and renames alike), and <see cref="Commit"/> does so a last time before the
/// caller reports success.
/// <para>
/// Why this is as durable: success is reported only after the final syncfs, which covers every write before it, so
/// everything a successful command reports is on the disk, as with per-file fsyncs. The orderings a crash could expose
/// are kept by barriers where a later write depends on an earlier one: a new key file's data is still fsynced before
/// its name appears (<see cref="AtomicFile.TryCreate"/>; a key file is never empty or half-written), and the audit
/// head is renamed into place only after a barrier that has made the log lines it seals, the staged head itself, the
/// key files and the output files durable. A crash before that barrier leaves no record and at most output files
/// that a re-run rewrites; after it, the same states as with per-file fsyncs.
/// </para>
/// Linux only (syncfs); elsewhere <see cref="Begin"/> returns a batch that is not current, so every write keeps its own fsync.
/// </summary>
public sealed class DurableBatch : IDisposable
{
    [ThreadStatic] static DurableBatch? _current;

    readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    readonly DurableBatch? _outer;
    readonly bool _active;

    DurableBatch(bool active, bool deferred = false)
    {
        _active = active;
        _outer = _current;
        if (active) _current = this;
        if (active && deferred) Deferred = new DeferredPublication(this);
    }

    /// <summary>Set when new files and outputs wait for the caller to publish them in chunks (a ceremony run).</summary>
    public DeferredPublication? Deferred { get; }

    /// <summary>The batch writes on this thread belong to, or null when each write must make itself durable.</summary>
    public static DurableBatch? Current => _current;

    /// <summary>Opens a batch (nested batches join the outer one: only the outermost commit flushes).</summary>
    public static DurableBatch Begin() => new(OperatingSystem.IsLinux() && _current is null);

    /// <summary>
    /// Opens a batch whose new files and outputs are published by the caller a chunk at a time
    /// (<see cref="Deferred"/>); where batches are not available (not Linux) every write is immediate as usual.
    /// </summary>
    public static DurableBatch BeginDeferred() => new(OperatingSystem.IsLinux() && _current is null, deferred: true);

    /// <summary>Notes that <paramref name="directory"/> (or a file in it) was written and still needs flushing.</summary>
    public void Touched(string directory)
    {
        lock (_directories) _directories.Add(directory);
    }

    /// <summary>Makes everything written so far durable: one syncfs per directory touched (one per file system in practice).</summary>
    public void Barrier()
    {
        string[] directories;
        lock (_directories)
        {
            directories = [.. _directories];
            _directories.Clear();
        }
        var synced = new HashSet<ulong>();
        foreach (var directory in directories) PlatformFiles.SyncFileSystem(directory, synced);
    }

    /// <summary>The final barrier: after it, everything the batch wrote is durable.</summary>
    public void Commit()
    {
        if (_active) Barrier();
    }

    public void Dispose()
    {
        if (_active) _current = _outer;
    }
}
