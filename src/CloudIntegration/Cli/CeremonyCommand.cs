using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CloudIntegration.Errors;
using CloudIntegration.IO;

namespace CloudIntegration.Cli;

/// <summary>
/// 'ceremony check FILE' and 'ceremony run FILE': a ceremony written down (docs/ceremony-file.md), checked as a whole
/// before anything happens, run exactly as written with each protection unlocked once, and minuted.
/// </summary>
public static class CeremonyCommand
{
    public const string Verb = "ceremony";
    public const string Summary = "check or run a ceremony file: several exports, pinned wrapping keys, one unlock each, minutes";

    static readonly string[] Subcommands = ["check", "run"];
    static readonly OptionSpec KeepGoing = new(null, "keep-going", null, "run: after a failed export, run the rest (default: stop)");
    static readonly OptionSpec Report = new(null, "report", "FILE",
        "run: write the minutes (Markdown) to FILE (default: next to the ceremony file, named after it and the time)");
    static readonly OptionSpec Json = new(null, "json", null, "run: print the summary as one JSON document on stdout");

    static List<OptionSpec> Options =>
        [CommandOptions.Help, Json, KeepGoing, Report, CommandOptions.PassphraseFile, CommandOptions.Card, CommandOptions.PinFile];

    static string Usage(string program) =>
        $"usage: {program} ceremony check FILE | ceremony run FILE [--keep-going] [--report FILE] [--json] " +
        "[--passphrase-file FILE] [--card PATH]... [--pin-file FILE]";

    public static int Run(string[] argv, ToolEnvironment env)
    {
        if (argv.Length > 0 && argv[0] is "-h" or "--help") return Help(env);
        if (argv.Length == 0 || !Subcommands.Contains(argv[0])) throw UsageErrors.BadSubcommand(Verb, argv.Length == 0 ? null : argv[0], Subcommands);
        var args = ParsedArguments.Parse(argv[1..], Options);
        if (args.Has(CommandOptions.Help)) return Help(env);
        if (args.Positionals.Count != 1) throw UsageErrors.WrongArguments(Usage(env.ProgramName));
        var isRun = argv[0] == "run";
        foreach (var runOnly in new[] { KeepGoing, Report, Json, CommandOptions.PassphraseFile, CommandOptions.Card, CommandOptions.PinFile })
        {
            if (!isRun && args.Has(runOnly)) throw UsageErrors.Usage($"--{runOnly.Long} is an option of 'ceremony run', not of 'ceremony check'");
        }

        var document = CeremonyFileReader.Read(Path.GetFullPath(args.Positionals[0], env.WorkingDirectory));
        var pinFile = args.Value(CommandOptions.PinFile) is { } pin ? Path.GetFullPath(pin, env.WorkingDirectory) : null;
        var plan = CeremonyCheck.Check(document, new CeremonyCheck.SharedOptions(pinFile), env);
        if (!plan.Passes)
        {
            foreach (var problem in plan.Problems) env.Err.WriteLine("problem: " + problem);
            throw RuntimeErrors.CeremonyCheckFailed(plan.Problems.Count);
        }
        if (!isRun)
        {
            PrintPlan(plan, env);
            return ExitCodes.Success;
        }
        return RunCeremony(plan, args, env);
    }

    static int RunCeremony(CeremonyPlan plan, ParsedArguments args, ToolEnvironment env)
    {
        var live = env.ErrorIsTerminal;
        var clock = Stopwatch.StartNew();
        var options = new CeremonyRun.Options(
            args.Value(CommandOptions.PassphraseFile) is { } file ? Path.GetFullPath(file, env.WorkingDirectory) : null,
            [.. args.Values(CommandOptions.Card).Select(p => Path.GetFullPath(p, env.WorkingDirectory))],
            args.Has(KeepGoing),
            progress => Progress(progress, live, clock, env));
        var outcome = new CeremonyRun(plan, options, env).Run();

        var reportPath = args.Value(Report) is { } report
            ? Path.GetFullPath(report, env.WorkingDirectory)
            : DefaultReportPath(plan.Document, outcome.Started);
        try
        {
            AtomicFile.Write(reportPath, Encoding.UTF8.GetBytes(CeremonyMinutes.Render(outcome, env.ProgramName)), AtomicFile.Readable);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw AtomicFile.Describe(reportPath, e);
        }

        if (args.Has(Json)) env.Out.WriteLine(JsonSummary(outcome, reportPath));
        else PrintSummary(outcome, reportPath, env);
        var failed = outcome.Count(ExportStatus.Failed);
        if (failed > 0) throw RuntimeErrors.CeremonyExportsFailed(failed, outcome.Count(ExportStatus.NotRun));
        return ExitCodes.Success;
    }

    /// <summary>Next to the file, named after it and the start time, so a second run never overwrites signed minutes.</summary>
    static string DefaultReportPath(CeremonyDocument document, DateTimeOffset started) =>
        Path.Combine(document.Directory,
                     $"{Path.GetFileNameWithoutExtension(document.Path)}-minutes-{TextFormats.Utc(started, TextFormats.FileNameTimestamp)}.md");

    /// <summary>On a terminal, a live line per export (replaced when it ends); otherwise one plain line per export.</summary>
    static void Progress(CeremonyRun.ProgressEvent progress, bool live, Stopwatch clock, ToolEnvironment env)
    {
        var plan = progress.Export.Plan;
        var head = $"[{progress.Number}/{progress.Total}] {plan.KeyName} -> {plan.Provider.Name}";
        if (progress.Outcome is not { } outcome)
        {
            if (live)
            {
                env.Err.Write($"{head} ... ({clock.Elapsed.TotalSeconds:0.0} s)");
                env.Err.Flush();
            }
            return;
        }
        var status = CeremonyMinutes.Status(outcome.Status) + (outcome.Error is { } error ? ": " + error : "");
        env.Err.WriteLine($"{(live ? "\r\u001b[K" : "")}{head}: {status} ({outcome.Elapsed.TotalMilliseconds:0} ms, {clock.Elapsed.TotalSeconds:0.0} s in all)");
    }

    static void PrintPlan(CeremonyPlan plan, ToolEnvironment env)
    {
        var rows = plan.Exports.Select(e => new[]
        {
            e.Entry.Number.ToString(CultureInfo.InvariantCulture), e.Plan.KeyName.Value, e.Plan.Provider.Name,
            e.Plan.RequestedKeyType?.Name ?? e.Plan.Provider.DefaultKeyType.Name, e.Plan.Protection.Encode(), e.Plan.Algorithm.Name,
            e.WrappingKey.Fingerprint[..16] + "...", Relative(plan.Document, e.OutputDirectory),
        });
        env.Out.Write(Table(["#", "key", "provider", "type", "protection", "wrapAlg", "wrapping key", "output"], rows));
        env.Out.WriteLine($"ceremony file {plan.Document.Path} (SHA-256 {plan.Document.Sha256}) checks: {plan.Exports.Count} export(s), " +
                          "every wrapping key matches its pinned fingerprint; nothing was generated or written");
    }

    static void PrintSummary(CeremonyOutcome outcome, string reportPath, ToolEnvironment env)
    {
        var rows = outcome.Exports.Select(e => new[]
        {
            e.Planned.Entry.Number.ToString(CultureInfo.InvariantCulture), e.Planned.Plan.KeyName.Value, e.Planned.Plan.Provider.Name,
            CeremonyMinutes.Status(e.Status), e.Record?.KeyCheckValue ?? e.Record?.KeyFingerprint?[..16] ?? "",
            e.Record is { Seq: > 0 } r ? r.Seq.ToString(CultureInfo.InvariantCulture) : "",
            string.Join(" ", e.Record?.Files.Select(f => f.Name) ?? []),
        });
        env.Out.Write(Table(["#", "key", "provider", "status", "kcv/fingerprint", "audit", "files"], rows));
        foreach (var warning in outcome.Exports.SelectMany(e => e.Warnings).Distinct()) env.Out.WriteLine("warning: " + warning);
        env.Out.WriteLine($"{outcome.Count(ExportStatus.Exported)} exported, {outcome.Count(ExportStatus.Skipped)} skipped (complete before), " +
                          $"{outcome.Count(ExportStatus.Failed)} failed, {outcome.Count(ExportStatus.NotRun)} not run; minutes: {reportPath}");
    }

    static string JsonSummary(CeremonyOutcome outcome, string reportPath)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, TextFormats.IndentedJson))
        {
            var document = outcome.Plan.Document;
            json.WriteStartObject();
            json.WriteString("ceremonyFile", document.Path);
            json.WriteString("ceremonyFileSha256", document.Sha256);
            json.WriteString("minutes", reportPath);
            Head(json, "auditHeadBefore", outcome.HeadBefore);
            Head(json, "auditHeadAfter", outcome.HeadAfter);
            json.WriteStartArray("exports");
            foreach (var e in outcome.Exports)
            {
                json.WriteStartObject();
                json.WriteNumber("number", e.Planned.Entry.Number);
                json.WriteString("key", e.Planned.Plan.KeyName.Value);
                json.WriteString("provider", e.Planned.Plan.Provider.Name);
                json.WriteString("status", e.Status.ToString().ToLowerInvariant());
                json.WriteString("wrappingKeyFingerprint", e.Planned.WrappingKey.Fingerprint);
                if (e.Record?.KeyCheckValue is { } kcv) json.WriteString("keyCheckValue", kcv);
                if (e.Record?.KeyFingerprint is { } fingerprint) json.WriteString("keyFingerprint", fingerprint);
                if (e.Record is { Seq: > 0 } record) json.WriteNumber("auditEntry", record.Seq);
                if (e.Error is { } error) json.WriteString("error", error);
                json.WriteStartArray("files");
                foreach (var file in e.Record?.Files ?? [])
                {
                    json.WriteStartObject();
                    json.WriteString("path", Path.Combine(e.Planned.OutputDirectory, file.Name));
                    json.WriteString("sha256", file.Sha256);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    static void Head(Utf8JsonWriter json, string name, AuditMark? head)
    {
        if (head is null)
        {
            json.WriteNull(name);
            return;
        }
        json.WriteStartObject(name);
        json.WriteNumber("entries", head.Entries);
        json.WriteString("last", head.Last);
        json.WriteEndObject();
    }

    static string Relative(CeremonyDocument document, string path)
    {
        var relative = Path.GetRelativePath(document.Directory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all) text.Append(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd()).Append('\n');
        return text.ToString();
    }

    static int Help(ToolEnvironment env)
    {
        env.Out.WriteLine(Usage(env.ProgramName));
        env.Out.WriteLine();
        env.Out.WriteLine("check: validates the whole file without touching a key or writing a file, and prints the plan (exit 0),");
        env.Out.WriteLine("       or lists every problem (exit 1; exit 2 for a malformed file, with the line and field).");
        env.Out.WriteLine("run:   checks the file, then runs its exports in order, unlocking each softcard, card set and token once;");
        env.Out.WriteLine("       exports already complete are skipped; writes the minutes. The format: docs/ceremony-file.md.");
        env.Out.WriteLine();
        foreach (var option in Options.Skip(1))
        {
            env.Out.WriteLine($"  --{option.Long}{(option.ValueName is null ? "" : " " + option.ValueName)}");
            env.Out.WriteLine($"      {option.Help}");
        }
        return ExitCodes.Success;
    }
}
