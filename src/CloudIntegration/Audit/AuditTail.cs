namespace CloudIntegration.Audit;

/// <summary>
/// The check before an append, from the end of the log only, so an append costs the same with 10 entries or 100,000.
/// The head names the sealed last line by its hash and count; reading backwards from the end until that line is
/// found (at most <see cref="AuditTrail.MaxLinesPerAppend"/> + 1 lines back: the sealed line and what a crash can
/// leave after it) shows whether the log ends exactly where the head says, or one interrupted append later.
/// <para>
/// Only the ordinary cases are decided here: a valid seal, the sealed line found with its own entry number, whole
/// lines after it. Anything else (a missing or edited head or log, an edited or cut end, an incomplete line, too
/// many lines) falls back to the whole-log check, which refuses it with the line at fault, as before. A change
/// further up the log is not looked for before an append: it breaks the chain, which <c>audit verify</c> (always a
/// full read) reports, and appending after it does not hide it.
/// </para>
/// </summary>
static class AuditTail
{
    const int FirstRead = 8 * 1024;
    /// <summary>Far more than MaxLinesPerAppend + 1 lines of any entry the tool writes; past it the whole-log check decides.</summary>
    const int MaxRead = 16 * 1024 * 1024;

    /// <summary>The sealed count and last hash (after resealing an interrupted append), or null to decide it from the whole log.</summary>
    public static (long Count, string Last)? TrySealedEnd(AuditTrail trail, ReadOnlySpan<byte> sealKey)
    {
        var headBytes = AuditTrail.ReadIfExists(trail.HeadPath, AuditTrail.MaxHeadBytes);
        if (headBytes is null || AuditHead.TryParse(headBytes) is not { Entries: > 0 } head || !head.SealIsValid(sealKey)) return null;
        var beyond = LinesAfter(trail.LogPath, head);
        if (beyond is null) return null;
        return beyond.Count == 0 ? (head.Entries, head.Last) : trail.Reseal(beyond, head, sealKey);
    }

    /// <summary>
    /// The whole lines after the sealed line, oldest first; null when the sealed line is not among the last
    /// MaxLinesPerAppend + 1 lines, the log does not end with a newline, or the log cannot be opened.
    /// </summary>
    static List<byte[]>? LinesAfter(string logPath, AuditHead head)
    {
        FileStream log;
        try
        {
            log = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;   // missing or unreadable: the whole-log check says which, in its words
        }
        using (log)
        {
            var length = log.Length;
            if (length == 0) return null;
            var window = (int)Math.Min(length, FirstRead);
            while (true)
            {
                var bytes = new byte[window];
                log.Position = length - window;
                log.ReadExactly(bytes);
                if (bytes[^1] != (byte)'\n') return null;
                var atStart = window == length;
                // Complete lines from the end: each ends at a newline and starts after the previous one (or at the file's
                // start); the first segment of a window that does not reach the start may be cut, so it is not used.
                var lines = new List<byte[]>();
                var end = bytes.Length - 1;
                while (end >= 0)
                {
                    var start = end == 0 ? -1 : Array.LastIndexOf(bytes, (byte)'\n', end - 1);
                    if (start < 0 && !atStart) break;
                    var line = bytes.AsSpan(start + 1, end - start - 1);
                    if (AuditHead.LineHash(line) == head.Last)
                    {
                        if (AuditEntry.TryParse(line)?.Seq != head.Entries) return null;
                        lines.Reverse();
                        return lines;
                    }
                    if (lines.Count > AuditTrail.MaxLinesPerAppend) return null;
                    lines.Add(line.ToArray());
                    if (start < 0) break;
                    end = start;
                }
                if (atStart || window >= MaxRead) return null;
                window = (int)Math.Min(length, Math.Min((long)window * 4, MaxRead));
            }
        }
    }
}
