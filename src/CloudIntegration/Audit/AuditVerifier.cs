using System.Globalization;
using CloudIntegration.IO;

namespace CloudIntegration.Audit;

/// <summary>The outcome of a verification: one line for the operator, and the line number at fault when there is one.</summary>
public sealed record AuditVerdict(bool Ok, string Message, long? Line = null, long Entries = 0);

/// <summary>
/// Checks a trail: every line is an entry, numbered in order, chained to the line before it, and the log ends where
/// the sealed head says. The first fault found is reported with its line number and the likeliest cause (an edit,
/// a deletion, an insertion, a reordering, a cut end). Without a seal key only the chain and the head's (unproven)
/// count are checked: that is what an auditor without the world can do.
/// </summary>
public static class AuditVerifier
{
    public static AuditVerdict Verify(AuditTrail.Snapshot trail, byte[]? sealKey)
    {
        if (!trail.HeadExists) return Fault("audit.head is missing (deleted?): the end of the trail cannot be checked");
        var head = trail.Head;
        if (head is null) return Fault("audit.head is not a valid head: it was edited or damaged");
        if (sealKey is not null && !head.SealIsValid(sealKey))
        {
            return Fault("the seal of audit.head does not verify: the head was edited, or it belongs to another world");
        }
        // A head of no entries without a log is an empty trail: the first append seals it before creating the log.
        if (!trail.LogExists && head.Entries != 0) return Fault($"audit.log is missing (deleted?), but the head records {head.Entries} entries");

        var lines = trail.Lines;
        var entries = lines.Select(l => AuditEntry.TryParse(l)).ToList();
        var previous = AuditHead.Genesis;
        var macSeen = false;
        AuditVerdict? macFault = null;
        for (var i = 0; i < lines.Count; i++)
        {
            long number = i + 1;
            var entry = entries[i];
            if (entry is null) return Fault($"line {number} is not a valid audit entry: it was edited or damaged", number);
            if (entry.Seq != number) return Misnumbered(entries, number, entry.Seq);
            if (entry.Prev != previous)
            {
                return Fault(number == 1
                    ? "line 1 does not start the chain: lines before it were deleted, or it was edited"
                    : $"line {number} (entry {number}) does not chain to line {number - 1}: entry {number - 1} was edited " +
                      $"(or line {number} was, or a line was replaced there)", number);
            }
            // Reported after the chain and the head: their faults say better what happened (an edit, a deletion...).
            macFault ??= MacFault(lines[i], number, sealKey, ref macSeen);
            previous = AuditHead.LineHash(lines[i]);
        }

        long count = lines.Count;
        if (trail.UnterminatedTail is not null)
        {
            return Fault($"line {count + 1} is incomplete (no newline): an interrupted append, or an edit", count + 1);
        }
        if (count < head.Entries)
        {
            return Fault($"the log ends at line {count} but the sealed head records {head.Entries} entries: " +
                         $"the last {head.Entries - count} entr{(head.Entries - count == 1 ? "y was" : "ies were")} removed (truncated)", count + 1);
        }
        if (count > head.Entries)
        {
            var extra = count == head.Entries + 1 ? $"line {count} is" : $"lines {head.Entries + 1} to {count} are";
            return Fault($"{extra} not covered by the sealed head: added outside the tool, or a run was interrupted " +
                         "between writing the log and the head (the next command that records an operation reseals " +
                         $"up to {AuditTrail.MaxLinesPerAppend} such lines when they carry the tool's MAC)", head.Entries + 1);
        }
        if (previous != head.Last)
        {
            return Fault(count == 0
                ? "the log is empty but the head records a last entry"
                : $"line {count} (the last entry) differs from the sealed head: it was edited", count);
        }
        if (macFault is not null) return macFault;

        var last = count == 0 ? "" : $", last entry {TextFormats.Utc(entries[^1]!.Time, TextFormats.ReadableTime)}Z";
        var summary = $"{count} entr{(count == 1 ? "y" : "ies")}, hash chain intact{last}, head {head.Last[..16]}";
        return sealKey is null
            ? new AuditVerdict(true, $"chain OK: {summary}; the seal was NOT checked (--chain-only: that needs the world key)", Entries: count)
            : new AuditVerdict(true, $"OK: {summary}, sealed by this world", Entries: count);
    }

    /// <summary>
    /// A line's own MAC (lines written since it was introduced carry one): it must verify when the seal key is known,
    /// and once one line has a MAC every later line must have one, or someone appended lines without the world key.
    /// </summary>
    static AuditVerdict? MacFault(byte[] line, long number, byte[]? sealKey, ref bool macSeen)
    {
        if (!AuditLineMac.HasMac(line))
        {
            return macSeen ? Fault($"line {number} has no MAC though the lines before it have one: it was added outside the tool", number) : null;
        }
        macSeen = true;
        if (sealKey is not null && AuditLineMac.Verify(line, sealKey) != AuditLineMac.Check.Valid)
        {
            return Fault($"the MAC of line {number} does not verify: it was edited, or written without this world's key", number);
        }
        return null;
    }

    /// <summary>A line whose number is wrong: tell a deletion from a reordering from an insertion.</summary>
    static AuditVerdict Misnumbered(List<AuditEntry?> entries, long line, long seq)
    {
        var expectedAt = entries.FindIndex((int)line, e => e?.Seq == line);
        if (seq > line && expectedAt >= 0)
        {
            return Fault($"line {line} holds entry {seq}, and entry {line} is at line {expectedAt + 1}: the entries were reordered", line);
        }
        if (seq > line)
        {
            var missing = seq - line;
            return Fault(missing == 1
                ? $"entry {line} is missing (deleted): line {line} holds entry {seq}"
                : $"entries {line} to {seq - 1} are missing (deleted): line {line} holds entry {seq}", line);
        }
        return Fault($"line {line} holds entry {seq}, which came earlier: a line was inserted at or before line {line}", line);
    }

    static AuditVerdict Fault(string message, long? line = null) => new(false, message, line);
}
