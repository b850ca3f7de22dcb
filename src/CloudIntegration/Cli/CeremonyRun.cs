using System.Diagnostics;
using System.Security.Cryptography;
using CloudIntegration.Audit;
using CloudIntegration.Ceremony;
using CloudIntegration.Cli;
using CloudIntegration.Errors;
using CloudIntegration.IO;
using CloudIntegration.KeyStores;
using CloudIntegration.KeyStores.SoftwareWorld;
using CloudIntegration.KeyStores.SoftwareWorld.Protections;

namespace CloudIntegration.Cli;

public enum ExportStatus { Exported, Skipped, Failed, NotRun }

/// <summary>What became of one planned export. <see cref="Record"/> is its audit entry (this run's, or the earlier one for a skipped export).</summary>
public sealed record ExportOutcome(PlannedExport Planned, ExportStatus Status)
{
    public ExportResult? Result { get; init; }
    public AuditEntry? Record { get; init; }
    public string? Error { get; init; }
    public TimeSpan Elapsed { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>The audit head (entry count and last line hash) at one moment, for the minutes.</summary>
public sealed record AuditMark(long Entries, string Last);

/// <summary>A whole ceremony as it ran.</summary>
public sealed record CeremonyOutcome(CeremonyPlan Plan, IReadOnlyList<ExportOutcome> Exports, AuditMark? HeadBefore, AuditMark? HeadAfter,
                                     DateTimeOffset Started, DateTimeOffset Finished, string Operator, string Host, string KeyStores)
{
    public int Count(ExportStatus status) => Exports.Count(e => e.Status == status);
}

/// <summary>
/// Runs a checked ceremony: the exports in file order against key stores opened once, so each softcard passphrase,
/// card-set quorum and token PIN is asked once for the whole ceremony. An export already complete (recorded in the
/// audit trail for the same key, provider, algorithm, wrapping key and output directory, with its files still there
/// and unchanged) is skipped and reported as such, so an interrupted ceremony can simply be run again.
/// </summary>
public sealed class CeremonyRun(CeremonyPlan plan, CeremonyRun.Options options, ToolEnvironment env)
{
    public sealed record Options(string? PassphraseFile, IReadOnlyList<string> Cards, bool KeepGoing, Action<ProgressEvent> Progress);

    public sealed record ProgressEvent(int Number, int Total, PlannedExport Export, ExportOutcome? Outcome);

    readonly Dictionary<string, IKeyStore> _stores = new(StringComparer.Ordinal);

    public CeremonyOutcome Run()
    {
        if (!plan.Passes) throw RuntimeErrors.CeremonyCheckFailed(plan.Problems.Count);
        var started = DateTimeOffset.UtcNow;
        var author = CommandLine.Author(env);
        using var world = new WorldSession(KeyStoreSelection.WorldRoot(env), env.Diagnostics);
        using var audit = new CeremonyAudit(world, author, env.Diagnostics);
        var before = Head(audit);
        var history = CompletedExports(audit.Trail.SuccessfulExports());
        var outcomes = new List<ExportOutcome>();
        var stopped = false;
        // New keys and outputs are staged and published a chunk at a time, records appended with them, everything
        // flushed by a few syncfs barriers per chunk (CeremonyChunk, DeferredPublication): nothing is reported as done
        // before its key, files and record are durable, and no output is published before the key it wraps.
        using (var durable = DurableBatch.BeginDeferred())
        {
            var batch = audit.StartBatch();
            var chunk = new CeremonyChunk(durable, batch, audit, options.KeepGoing);
            var from = 0;
            try
            {
                foreach (var planned in plan.Exports)
                {
                    if (stopped)
                    {
                        outcomes.Add(new ExportOutcome(planned, ExportStatus.NotRun));
                        continue;
                    }
                    options.Progress(new ProgressEvent(planned.Entry.Number, plan.Exports.Count, planned, null));
                    batch.Owner = outcomes.Count;
                    if (durable.Deferred is { } deferred) deferred.Owner = outcomes.Count;
                    var outcome = RunOne(planned, world, audit, history);
                    outcomes.Add(outcome);
                    if (batch.Due || outcome.Status == ExportStatus.Failed)
                    {
                        stopped = chunk.Publish(outcomes, from, final: false);
                        from = outcomes.Count;
                    }
                    options.Progress(new ProgressEvent(planned.Entry.Number, plan.Exports.Count, planned, outcomes[^1]));
                    if (outcomes[^1].Status == ExportStatus.Failed && !options.KeepGoing) stopped = true;
                }
                chunk.Publish(outcomes, from, final: true);
            }
            finally
            {
                foreach (var store in _stores.Values) store.Dispose();
            }
        }
        var stores = string.Join("; ", outcomes.Select(o => o.Result?.KeyStore ?? o.Record?.KeyStore).OfType<string>().Distinct());
        return new CeremonyOutcome(plan, outcomes, before, Head(audit), started, DateTimeOffset.UtcNow, author.User, author.Host, stores);
    }

    /// <summary>The successful export records of the trail, by key name, oldest first: what <see cref="Completed"/> looks through.</summary>
    static ILookup<string, AuditEntry> CompletedExports(IReadOnlyList<AuditEntry> successfulExports) =>
        successfulExports.Where(e => e.Key is not null && e.Files.Count > 0).ToLookup(e => e.Key!, StringComparer.Ordinal);

    ExportOutcome RunOne(PlannedExport planned, WorldSession world, CeremonyAudit audit, ILookup<string, AuditEntry> history)
    {
        var clock = Stopwatch.StartNew();
        var earlierWarnings = env.Diagnostics.Warnings.Count;
        try
        {
            var store = Store(planned, world);
            if (Completed(planned, store, history) is { } earlier)
            {
                return new ExportOutcome(planned, ExportStatus.Skipped) { Record = earlier, Elapsed = clock.Elapsed };
            }
            var result = ExportCommand.Export(planned.Plan, planned.WrappingKey, audit, () => store, ownsStore: false, env, earlierWarnings);
            return new ExportOutcome(planned, ExportStatus.Exported)
            {
                Result = result, Record = result.AuditEntry, Elapsed = clock.Elapsed, Warnings = result.Warnings,
            };
        }
        catch (ToolError e)
        {
            return new ExportOutcome(planned, ExportStatus.Failed)
            {
                Error = e.Message, Elapsed = clock.Elapsed, Warnings = [.. env.Diagnostics.Warnings.Skip(earlierWarnings)],
            };
        }
    }

    /// <summary>
    /// The store of this export, opened on first use: the embedded world once (with the ceremony's passphrase source
    /// and cards, so each softcard and card set is unlocked once), each token once (one PIN).
    /// </summary>
    IKeyStore Store(PlannedExport planned, WorldSession world)
    {
        var request = planned.Plan.KeyStore;
        var id = request.Pkcs11Library is { } library ? $"{library}\n{request.Module}" : "world";
        if (_stores.TryGetValue(id, out var open)) return open;
        var shared = request.Pkcs11Library is null
            ? request with { PassphraseFile = options.PassphraseFile, Cards = options.Cards }
            : request;
        var wrap = planned.Plan.Provider.Request(planned.WrappingKey, planned.Plan.Algorithm);
        var store = KeyStoreSelection.Open(shared, world, new Pkcs11Setup.Rehearsal(wrap, planned.Plan.NewKeyType, planned.Plan.Provider.Algorithms), env);
        _stores[id] = store;
        return store;
    }

    /// <summary>The latest successful record of exactly this export whose files are all still as written, if the key is still the same.</summary>
    static AuditEntry? Completed(PlannedExport planned, IKeyStore store, ILookup<string, AuditEntry> history)
    {
        var plan = planned.Plan;
        foreach (var e in history[plan.KeyName.Value].Reverse())
        {
            if (e.Provider != plan.Provider.Name || e.WrapAlgorithm != plan.Algorithm.Name ||
                e.WrappingKeyFingerprint != planned.WrappingKey.Fingerprint || e.OutputDirectory != planned.OutputDirectory)
            {
                continue;
            }
            var filesIntact = e.Files.All(f => Sha256OrNull(Path.Combine(planned.OutputDirectory, f.Name)) == f.Sha256);
            return filesIntact && store.Find(plan.KeyName)?.Id == e.KeyId ? e : null;
        }
        return null;
    }

    static string? Sha256OrNull(string path)
    {
        try
        {
            return File.Exists(path) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    static AuditMark? Head(CeremonyAudit audit)
    {
        if (!Directory.Exists(audit.Trail.Directory)) return null;
        return audit.Trail.ReadHeadLocked() is { } head ? new AuditMark(head.Entries, head.Last) : null;
    }
}
