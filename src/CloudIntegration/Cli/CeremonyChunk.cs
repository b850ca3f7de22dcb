using CloudIntegration.Ceremony;
using CloudIntegration.Errors;
using CloudIntegration.IO;

namespace CloudIntegration.Cli;

/// <summary>
/// Publishes a ceremony's exports a chunk at a time: the exports ran with their new keys and outputs staged
/// (<see cref="DeferredPublication"/>) and their records queued (<see cref="AuditBatch"/>); here the keys are named
/// after one barrier, the outputs placed after another, the records appended, and the batch committed, so nothing is
/// reported as done before it is durable and no output is published before the key it wraps.
/// <para>
/// An export that cannot be published (another process took the name of the key it generated, or its files cannot be
/// renamed into place) fails alone, as it would have failed in a single export: it is withdrawn (files put back, its
/// new key removed, its records dropped) and recorded as refused; the exports before it are published; those after it
/// in the chunk are withdrawn and reported as not run unless --keep-going (then only those of the same key). When a
/// barrier or the audit append fails, the whole chunk is rolled back: outputs put back as they were, its new keys
/// removed, its exports failed and recorded as refused where the trail can still take it. A re-run does what is left.
/// </para>
/// </summary>
sealed class CeremonyChunk(DurableBatch durable, AuditBatch batch, CeremonyAudit audit, bool keepGoing)
{
    /// <summary>
    /// Publishes the exports from <paramref name="from"/> on; true when the run must stop (a failure here, without
    /// --keep-going). Only the <paramref name="final"/> chunk ends with the commit barrier: after a chunk's audit
    /// barrier everything of it is durable but the rename of the head, which the next chunk's first barrier covers
    /// (and a crash before it leaves whole lines with the tool's MAC after the sealed end, which the next run reseals);
    /// nothing is reported as done before the final commit.
    /// </summary>
    public bool Publish(List<ExportOutcome> outcomes, int from, bool final)
    {
        var deferred = durable.Deferred;
        var stop = false;
        try
        {
            if (deferred is not null)
            {
                foreach (var lost in deferred.PlaceKeys())
                {
                    var name = outcomes[lost].Planned.Plan.KeyName;
                    stop |= Fail(outcomes, from, lost, $"another process created key '{name}' while this ceremony ran, so the key " +
                                                       "wrapped here is not the stored one; nothing was published for this export: run the ceremony again");
                }
                foreach (var (owner, error) in deferred.PlaceOutputs(stopAtFirstFailure: !keepGoing))
                {
                    if (outcomes[owner].Status == ExportStatus.Exported) stop |= Fail(outcomes, from, owner, error.Message);
                }
            }
            batch.Flush();
            if (final) durable.Commit();
            // The replaced files' second names only served a roll-back; the final names do not depend on them.
            deferred?.Settle();
            Number(outcomes, from);
            return stop;
        }
        catch (Exception e) when (e is ToolError or IOException or UnauthorizedAccessException)
        {
            RollBack(outcomes, from, e);
            return !keepGoing;
        }
    }

    void Number(List<ExportOutcome> outcomes, int from)
    {
        for (var i = from; i < outcomes.Count; i++) outcomes[i] = outcomes[i] with { Record = batch.Written(outcomes[i].Record) };
    }

    /// <summary>
    /// Export <paramref name="failed"/> cannot be published: it is withdrawn (its files put back, a key it generated
    /// removed) and recorded as refused. So are the exports after it in the chunk that use the same key; without
    /// --keep-going every export after it is withdrawn and reported as not run, as if the run had stopped there.
    /// Returns whether the run must stop.
    /// </summary>
    bool Fail(List<ExportOutcome> outcomes, int from, int failed, string error)
    {
        var key = outcomes[failed].Planned.Plan.KeyName;
        var withdrawn = new HashSet<int> { failed };
        for (var i = Math.Max(from, failed + 1); i < outcomes.Count; i++)
        {
            if (outcomes[i].Status == ExportStatus.Exported && (!keepGoing || outcomes[i].Planned.Plan.KeyName == key)) withdrawn.Add(i);
        }
        var notRestored = durable.Deferred!.Withdraw(withdrawn);
        batch.Drop(withdrawn.Contains);
        var generated = outcomes[failed].Result?.Created == true ? "; the key generated for it was removed" : "";
        outcomes[failed] = Refused(outcomes[failed], error + generated + NotRestored(notRestored), failed);
        foreach (var i in withdrawn.Where(i => i != failed))
        {
            outcomes[i] = keepGoing
                ? Refused(outcomes[i], $"not published: export {outcomes[failed].Planned.Entry.Number} of the same key failed in the same batch; run the ceremony again", i)
                : outcomes[i] with { Status = ExportStatus.NotRun, Result = null, Record = null };
        }
        return !keepGoing;
    }

    static string NotRestored(List<(string File, string? KeptAs)> files) => files.Count == 0 ? "" :
        "; not restored: " + string.Join(", ", files.Select(n => n.KeptAs is null ? n.File : $"{n.File} (kept as {n.KeptAs})"));

    /// <summary>Publishing failed: undo the chunk, fail its exports, and record that where the trail still can.</summary>
    void RollBack(List<ExportOutcome> outcomes, int from, Exception e)
    {
        var reason = e is ToolError tool ? tool.Message : "the ceremony's files could not be made durable: " + ErrorText.Describe(e);
        var kept = NotRestored(durable.Deferred?.RollBack() ?? []);
        batch.Drop(owner => owner >= from && outcomes[owner].Status == ExportStatus.Exported);
        for (var i = from; i < outcomes.Count; i++)
        {
            if (outcomes[i].Status != ExportStatus.Exported) continue;
            // Without a deferred chunk (not Linux) the files were placed as they were written: remove them.
            if (durable.Deferred is null) foreach (var file in outcomes[i].Result!.Files) AtomicFile.TryDelete(file.Path);
            outcomes[i] = Refused(outcomes[i], reason + "; this export was rolled back (its files and any key generated for it were removed)" + kept, i);
        }
        try
        {
            batch.Flush();
            durable.Commit();
            Number(outcomes, from);
        }
        catch (Exception again) when (again is ToolError or IOException or UnauthorizedAccessException)
        {
            // The trail or the disk is what failed: the error lines above already say what happened to each export.
            batch.Drop(owner => owner >= from);
            for (var i = from; i < outcomes.Count; i++) outcomes[i] = outcomes[i] with { Record = null };
        }
    }

    /// <summary>Queues the refusal of a withdrawn or rolled-back export; the outcome carries it, numbered once flushed.</summary>
    ExportOutcome Refused(ExportOutcome outcome, string error, int owner)
    {
        batch.Owner = owner;
        var refusal = new ExportAudit(outcome.Planned.Plan, outcome.Planned.WrappingKey, audit).Refusal(RuntimeErrors.Runtime(error));
        batch.Queue([refusal]);
        return outcome with { Status = ExportStatus.Failed, Result = null, Record = refusal, Error = error };
    }
}
