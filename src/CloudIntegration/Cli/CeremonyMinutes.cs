using System.Globalization;
using System.Text;
using CloudIntegration.Cli;
using CloudIntegration.IO;

namespace CloudIntegration.Cli;

/// <summary>
/// The minutes of a ceremony, in Markdown, to be printed and signed: who ran which file (by its SHA-256) where and
/// when, with which tool and key store; for every export the key's fingerprint or check value, the wrapping key's
/// fingerprint, each output file with its SHA-256, the audit entry; and the audit head before and after, so the
/// trail can later be checked against the signed minutes (<c>audit verify</c>, then compare the entries).
/// </summary>
public static class CeremonyMinutes
{
    public static string Render(CeremonyOutcome outcome, string programName)
    {
        var document = outcome.Plan.Document;
        var md = new StringBuilder();
        md.Append("# Key ceremony minutes").Append(document.Title is { } title ? $": {Cell(title)}" : "").Append("\n\n");
        Row(md, "Ceremony file", $"`{document.Path}`");
        Row(md, "Ceremony file SHA-256", $"`{document.Sha256}`");
        Row(md, "Started (UTC)", Time(outcome.Started));
        Row(md, "Finished (UTC)", Time(outcome.Finished));
        Row(md, "Operator", Cell(outcome.Operator));
        Row(md, "Host", Cell(outcome.Host));
        Row(md, "Tool", $"{programName} {ToolEnvironment.Version}");
        Row(md, "Key store", Cell(outcome.KeyStores.Length > 0 ? outcome.KeyStores : "(not opened)"));
        Row(md, "Audit head before", Head(outcome.HeadBefore));
        Row(md, "Audit head after", Head(outcome.HeadAfter));
        Row(md, "Result", $"{outcome.Count(ExportStatus.Exported)} exported, {outcome.Count(ExportStatus.Skipped)} skipped (complete before), " +
                          $"{outcome.Count(ExportStatus.Failed)} failed, {outcome.Count(ExportStatus.NotRun)} not run");
        md.Append('\n');

        md.Append("## Exports\n\n");
        foreach (var export in outcome.Exports)
        {
            var planned = export.Planned;
            var plan = planned.Plan;
            md.Append($"### {planned.Entry.Number}. `{plan.KeyName}` for {plan.Provider.Name}: {Status(export.Status)}\n\n");
            Row(md, "Key", $"`{plan.KeyName}`, {plan.Protection.Describe()}" +
                           (export.Record?.KeyType is { } type ? $", {type}" : "") + (export.Record?.KeyId is { } id ? $", id `{id}`" : ""));
            if (export.Record?.KeyCheckValue is { } kcv) Row(md, "Key check value", $"`{kcv}`");
            if (export.Record?.KeyFingerprint is { } fingerprint) Row(md, "Key fingerprint (SHA-256 of SPKI)", $"`{fingerprint}`");
            Row(md, "Wrapping", $"{plan.Algorithm.Name} with RSA-{planned.WrappingKey.Bits} `{planned.Entry.WrappingKey}`");
            Row(md, "Wrapping key fingerprint (SHA-256 of SPKI)", $"`{planned.WrappingKey.Fingerprint}` (pinned in the file)");
            if (export.Record is { Seq: > 0 } record) Row(md, "Audit entry", record.Seq.ToString(CultureInfo.InvariantCulture));
            if (export.Error is { } error) Row(md, "Error", Cell(error));
            foreach (var warning in export.Warnings.Distinct()) Row(md, "Warning", Cell(warning));
            if (export.Record is { } written && export.Status is ExportStatus.Exported or ExportStatus.Skipped)
            {
                md.Append("\n| Output file | SHA-256 |\n|---|---|\n");
                foreach (var file in written.Files) md.Append($"| `{Path.Combine(planned.OutputDirectory, file.Name)}` | `{file.Sha256}` |\n");
            }
            md.Append('\n');
        }
        md.Append("## Signatures\n\nOperator: ____________________  Witness: ____________________  Date: __________\n");
        return md.ToString();
    }

    public static string Status(ExportStatus status) => status switch
    {
        ExportStatus.Exported => "exported",
        ExportStatus.Skipped => "skipped (complete before)",
        ExportStatus.Failed => "FAILED",
        ExportStatus.NotRun => "not run",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown export status"),
    };

    static void Row(StringBuilder md, string name, string value) => md.Append($"- **{name}:** {value}\n");

    static string Time(DateTimeOffset time) => TextFormats.Utc(time, TextFormats.ReadableTime) + "Z";

    static string Head(AuditMark? head) => head is null ? "(no audit trail yet)" : $"{head.Entries.ToString(CultureInfo.InvariantCulture)} entries, last `{head.Last}`";

    /// <summary>Text from outside (names, messages) without Markdown table or code breakers.</summary>
    static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
