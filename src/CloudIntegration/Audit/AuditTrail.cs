using CloudIntegration.Errors;
using CloudIntegration.IO;

namespace CloudIntegration.Audit;

/// <summary>
/// The trail on disk: <c>audit.log</c> (one JSON entry per line, hash-chained), <c>audit.head</c> (the sealed head)
/// and <c>audit.lock</c>, all in one directory (the world directory; see docs/ceremony.md for why).
/// Appending is the only write. It happens under the lock, only when the log's end still matches the sealed head,
/// so a trail whose end was cut or edited is never resealed: it stays detectably broken until someone looks at it.
/// </summary>
public sealed class AuditTrail(string directory)
{
    public const string LogFile = "audit.log";
    public const string HeadFile = "audit.head";
    public const string LockFile = "audit.lock";

    public string Directory { get; } = directory;
    /// <summary>Told when the trail was repaired (an interrupted append resealed), so the operator hears of it.</summary>
    public Action<string> Notice { get; init; } = _ => { };
    /// <summary>
    /// The most lines one append writes: an export of a new key records "generate" and "export" together, and a
    /// ceremony appends its queued exports in batches of at most this many. A crash can leave that many unsealed lines;
    /// they are resealed only when every one carries a MAC under the audit key, so the count is a bound, not the proof.
    /// </summary>
    public const int MaxLinesPerAppend = 256;
    public const string Recover = "recover";
    public string LogPath => Path.Combine(Directory, LogFile);
    public string HeadPath => Path.Combine(Directory, HeadFile);
    public string LockPath => Path.Combine(Directory, LockFile);

    /// <summary>The files as they are now. Lines exclude their newline; a last line without one is reported apart.</summary>
    public sealed record Snapshot(bool LogExists, IReadOnlyList<byte[]> Lines, byte[]? UnterminatedTail, bool HeadExists, byte[]? HeadBytes)
    {
        public bool IsEmpty => !LogExists && !HeadExists;
        public AuditHead? Head => HeadBytes is null ? null : AuditHead.TryParse(HeadBytes);
    }

    public Snapshot Read()
    {
        var log = ReadIfExists(LogPath, MaxLogBytes);
        var head = ReadIfExists(HeadPath, MaxHeadBytes);
        var lines = new List<byte[]>();
        byte[]? tail = null;
        if (log is not null)
        {
            var span = log.AsSpan();
            while (span.Length > 0)
            {
                var newline = span.IndexOf((byte)'\n');
                if (newline < 0)
                {
                    tail = span.ToArray();
                    break;
                }
                lines.Add(span[..newline].ToArray());
                span = span[(newline + 1)..];
            }
        }
        return new Snapshot(log is not null, lines, tail, head is not null, head);
    }

    /// <summary>Reads the trail while no one appends to it, so log and head belong together.</summary>
    public Snapshot ReadLocked()
    {
        using var _ = AuditLock.Acquire(LockPath, AuditLock.DefaultTimeout);
        return Read();
    }

    /// <summary>The sealed head as it is now (read under the lock), without reading the log; null when there is none.</summary>
    public AuditHead? ReadHeadLocked()
    {
        using var _ = AuditLock.Acquire(LockPath, AuditLock.DefaultTimeout);
        return ReadIfExists(HeadPath, MaxHeadBytes) is { } head ? AuditHead.TryParse(head) : null;
    }

    /// <summary>Throws unless an append would extend the sealed trail (an empty trail is fine).</summary>
    public void CheckAppendable(ReadOnlySpan<byte> sealKey)
    {
        using var _ = AuditLock.Acquire(LockPath, AuditLock.DefaultTimeout);
        SealedEnd(sealKey);
    }

    /// <summary>
    /// Appends the entries (numbering and chaining them), fsyncs the log, then writes the new sealed head atomically.
    /// Returns the entries as written.
    /// </summary>
    public IReadOnlyList<AuditEntry> Append(IReadOnlyList<AuditEntry> entries, ReadOnlySpan<byte> sealKey)
    {
        using var _ = AuditLock.Acquire(LockPath, AuditLock.DefaultTimeout);
        var (count, last) = SealedEnd(sealKey);
        return AppendLocked(entries, count, last, sealKey);
    }

    IReadOnlyList<AuditEntry> AppendLocked(IReadOnlyList<AuditEntry> entries, long count, string last, ReadOnlySpan<byte> sealKey)
    {
        var firstAppend = count == 0 && !File.Exists(HeadPath);
        var written = new List<AuditEntry>();
        using var bytes = new MemoryStream();
        foreach (var entry in entries)
        {
            var numbered = entry with { Seq = ++count, Prev = last };
            var line = AuditLineMac.Sign(numbered.ToLine(), sealKey);
            last = AuditHead.LineHash(line);
            bytes.Write(line);
            bytes.WriteByte((byte)'\n');
            written.Add(numbered);
        }
        var created = !File.Exists(LogPath);
        FileStream? log = null;
        long before = 0;
        try
        {
            // The first append seals the empty trail before the log exists. A run killed between writing its lines
            // and writing their head then leaves lines beyond a head of no entries, which the next append reseals
            // (SealedEnd), and not a log without a head, which looks exactly like a deleted head and stays refused.
            if (firstAppend) SealEmptyTrail(sealKey);
            // Unbuffered, so a failed write leaves nothing pending that a later flush or dispose could throw again.
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, Share = FileShare.Read, BufferSize = 0 };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = AtomicFile.OwnerOnly;
            log = new FileStream(LogPath, options);
            before = log.Seek(0, SeekOrigin.End);
            // Whole lines in one write, then fsync, then the head: the head never covers a line not on the disk.
            log.Write(bytes.GetBuffer(), 0, (int)bytes.Length);
            if (DurableBatch.Current is { } batch)
            {
                // One barrier instead of the fsyncs: it makes the lines, the staged head and all the batch wrote before
                // durable, then the head names them.
                batch.Touched(Directory);
                var staged = AtomicFile.Stage(HeadPath, AuditHead.Make(count, last, sealKey).ToFile(), AtomicFile.OwnerOnly);
                batch.Barrier();
                File.Move(staged, HeadPath, overwrite: true);
                batch.Touched(Directory);
            }
            else
            {
                log.Flush(flushToDisk: true);
                if (created) AtomicFile.SyncDirectory(Directory);
                AtomicFile.Write(HeadPath, AuditHead.Make(count, last, sealKey).ToFile(), AtomicFile.OwnerOnly);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk can take part of a line, or the lines without the head: cut the log back to what the head
            // still seals, so one failed record does not leave the trail unusable. (A crash here is another matter:
            // the next append reseals the lines if they are whole and carry the tool's MAC; see SealedEnd.)
            Rollback(log, before, created);
            throw RuntimeErrors.AuditWriteFailed(LogPath, ErrorText.Describe(e), e);
        }
        finally
        {
            log?.Dispose();
        }
        return written;
    }

    /// <summary>Writes a head of no entries and makes it durable before anything names the log.</summary>
    void SealEmptyTrail(ReadOnlySpan<byte> sealKey)
    {
        AtomicFile.Write(HeadPath, AuditHead.Make(0, AuditHead.Genesis, sealKey).ToFile(), AtomicFile.OwnerOnly);
        DurableBatch.Current?.Barrier();
    }

    void Rollback(FileStream? log, long length, bool created)
    {
        try
        {
            if (log is not null && !created)
            {
                log.SetLength(length);
                log.Flush(flushToDisk: true);
            }
        }
        catch (IOException) { }
        if (created)
        {
            log?.Dispose();
            AtomicFile.TryDelete(LogPath);
        }
    }

    /// <summary>
    /// The successful exports, in order, without any check (audit verify does that): the inventory counts them and a
    /// ceremony recognises completed ones by them. The log is read a block at a time, and only the lines that record
    /// a successful export (written by <see cref="AuditEntry.ToLine"/>, so found by their bytes) are parsed: a world
    /// of 100,000 keys has a trail of hundreds of thousands of lines.
    /// </summary>
    public List<AuditEntry> SuccessfulExports()
    {
        var exports = new List<AuditEntry>();
        ReadSuccessfulExports(exports.Add);
        return exports;
    }

    /// <summary>The same, each given to <paramref name="each"/> as it is read, so a caller that tallies them keeps none.</summary>
    public void ReadSuccessfulExports(Action<AuditEntry> each)
    {
        try
        {
            if (!File.Exists(LogPath)) return;
            var whole = BoundedFile.ReadLines(LogPath, MaxLogBytes, line =>
            {
                if (line.IndexOf(AuditEntry.SuccessfulExportMarker) >= 0 &&
                    AuditEntry.TryParse(line) is { Event: AuditEntry.Export, Outcome: AuditEntry.Ok } entry)
                {
                    each(entry);
                }
            });
            if (!whole) throw TooLarge(LogPath, MaxLogBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RuntimeErrors.AuditUnreadable(LogPath, ErrorText.Describe(e));
        }
    }

    /// <summary>
    /// The sealed count and last line hash, after checking that the log ends exactly where the head says. One case is
    /// repaired rather than refused, because a crash is not an edit: a run killed between writing its lines and writing
    /// the head leaves up to <see cref="MaxLinesPerAppend"/> whole lines after the sealed end. When each of them is
    /// numbered and chained on from the sealed end and carries a MAC that verifies under this world's key (so only the
    /// tool could have written it), the head is resealed over them and a "recover" entry records it.
    /// </summary>
    (long Count, string Last) SealedEnd(ReadOnlySpan<byte> sealKey) =>
        AuditTail.TrySealedEnd(this, sealKey) ?? SealedEnd(Read(), sealKey);

    (long Count, string Last) SealedEnd(Snapshot trail, ReadOnlySpan<byte> sealKey)
    {
        if (trail.IsEmpty) return (0, AuditHead.Genesis);
        if (!trail.HeadExists) throw RuntimeErrors.AuditBroken(Directory, "audit.head is missing");
        var head = trail.Head ?? throw RuntimeErrors.AuditBroken(Directory, "audit.head is not a valid head");
        if (!head.SealIsValid(sealKey)) throw RuntimeErrors.AuditBroken(Directory, "the seal of audit.head does not verify with this world's key");
        if (!trail.LogExists)
        {
            // A head of no entries and no log: the first append was killed after sealing the empty trail (AppendLocked).
            if (head.Entries == 0) return (0, AuditHead.Genesis);
            throw RuntimeErrors.AuditBroken(Directory, "audit.log is missing");
        }
        if (trail.UnterminatedTail is not null) throw RuntimeErrors.AuditBroken(Directory, $"line {trail.Lines.Count + 1} of audit.log is incomplete");
        if (trail.Lines.Count < head.Entries)
        {
            throw RuntimeErrors.AuditBroken(Directory, $"audit.log has {trail.Lines.Count} lines, the head records {head.Entries}");
        }
        var sealedLast = head.Entries == 0 ? AuditHead.Genesis : AuditHead.LineHash(trail.Lines[(int)head.Entries - 1]);
        if (sealedLast != head.Last) throw RuntimeErrors.AuditBroken(Directory, $"line {head.Entries} of audit.log differs from the sealed head");
        if (trail.Lines.Count == head.Entries) return (head.Entries, head.Last);
        return Reseal([.. trail.Lines.Skip((int)head.Entries)], head, sealKey);
    }

    /// <summary>Reseals the head over <paramref name="beyond"/>, the whole lines after the sealed end, if the tool wrote them.</summary>
    internal (long Count, string Last) Reseal(IReadOnlyList<byte[]> beyond, AuditHead head, ReadOnlySpan<byte> sealKey)
    {
        var extra = beyond.Count;
        var first = head.Entries + 1;
        if (extra > MaxLinesPerAppend)
        {
            throw RuntimeErrors.AuditBroken(Directory, $"lines {first} to {head.Entries + extra} of audit.log are not covered by the sealed head " +
                                                       $"(more than one run's worth: {extra} lines)");
        }
        var last = head.Last;
        for (var number = first; number <= head.Entries + extra; number++)
        {
            var line = beyond[(int)(number - first)];
            var entry = AuditEntry.TryParse(line);
            if (entry is null || entry.Seq != number || entry.Prev != last)
            {
                throw RuntimeErrors.AuditBroken(Directory, $"line {number} of audit.log is not covered by the sealed head and does not continue it");
            }
            if (AuditLineMac.Verify(line, sealKey) != AuditLineMac.Check.Valid)
            {
                throw RuntimeErrors.AuditBroken(Directory, $"line {number} of audit.log is not covered by the sealed head and carries no valid MAC " +
                                                           "of this world (it was not written by the tool)");
            }
            last = AuditHead.LineHash(line);
        }
        var count = head.Entries + extra;
        var lines = extra == 1 ? $"line {first}" : $"lines {first} to {count}";
        try
        {
            AtomicFile.Write(HeadPath, AuditHead.Make(count, last, sealKey).ToFile(), AtomicFile.OwnerOnly);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RuntimeErrors.AuditWriteFailed(HeadPath, ErrorText.Describe(e), e);
        }
        var note = $"{lines} of audit.log had been written by a run that was interrupted before it sealed them; " +
                   "they carry the tool's MAC and continue the chain, so the head was resealed over them";
        var recovery = new AuditEntry
        {
            Time = DateTimeOffset.UtcNow,
            Event = Recover,
            Outcome = AuditEntry.Ok,
            User = Environment.UserName,
            Host = Environment.MachineName,
            Note = note,
        };
        var written = AppendLocked([recovery], count, last, sealKey);
        Notice($"the audit trail was repaired: {note} (audit entry {written[0].Seq} records it)");
        return (written[0].Seq, AuditHead.LineHash(AuditLineMac.Sign(written[0].ToLine(), sealKey)));
    }

    /// <summary>
    /// The most of <c>audit.log</c> this tool reads: about 300,000 entries of about 800 bytes. The log is read whole,
    /// and `audit verify --dir` reads whatever it is given (a device or a pipe has no end), so there is a bound.
    /// </summary>
    public const int MaxLogBytes = 256 << 20;
    /// <summary>A head is about 210 bytes.</summary>
    public const int MaxHeadBytes = 4096;

    internal static byte[]? ReadIfExists(string path, int maxBytes)
    {
        byte[]? content;
        try
        {
            if (!File.Exists(path)) return null;
            content = BoundedFile.ReadPublic(path, maxBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RuntimeErrors.AuditUnreadable(path, ErrorText.Describe(e));
        }
        return content ?? throw TooLarge(path, maxBytes);
    }

    static RuntimeError TooLarge(string path, int maxBytes)
    {
        var limit = maxBytes >= 1 << 20 ? $"{maxBytes >> 20} MiB" : $"{maxBytes} bytes";
        return RuntimeErrors.AuditUnreadable(path, $"it is larger than {limit}, the most this tool reads");
    }
}
