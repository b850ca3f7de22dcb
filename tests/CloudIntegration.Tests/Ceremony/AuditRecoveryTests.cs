using CloudIntegration.Audit;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Reliability;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests.Ceremony;

/// <summary>
/// A run killed between writing its audit lines and writing the head: the next run reseals those lines when each is
/// whole, chained on from the sealed end and carries the tool's MAC, records that it did, and says so. Lines anyone
/// else could have written stay refused, naming the line.
/// </summary>
public sealed class AuditRecoveryTests
{
    static readonly ExportCase Aws = ExportCases.All.First(c => c.Provider == "aws" && c.Algorithm == "RSAES_OAEP_SHA_256");
    static string WrapKey => ProviderKeyPair.Get(Aws.WrappingBits).WrapKeyFile(Aws.Form);

    /// <summary>k1 exported, then k2 exported with the head put back as it was before: the log is two lines ahead.</summary>
    static Tool InterruptedAfterTheLog(Scratch scratch, bool newKey)
    {
        var tool = Tool.In(scratch);
        tool.Run(Aws.Arguments("k1", WrapKey)).Ok();
        var head = File.ReadAllBytes(tool.AuditHead());
        tool.Run(Aws.Arguments(newKey ? "k2" : "k1", WrapKey)).Ok();
        File.WriteAllBytes(tool.AuditHead(), head);
        Assert.Contains("not covered by the sealed head", tool.Audit("verify").Stdout);
        return tool;
    }

    [Theory]
    [InlineData(true)]   // generate + export: two lines in one write
    [InlineData(false)]  // export only: one line
    public void An_append_interrupted_before_its_head_is_resealed_recorded_and_reported(bool newKey)
    {
        using var scratch = new Scratch();
        var tool = InterruptedAfterTheLog(scratch, newKey);
        var unsealed = newKey ? 2 : 1;

        var next = tool.Run(Aws.Arguments("k3", WrapKey)).Ok();
        Assert.Contains("note: the audit trail was repaired: " + (unsealed == 1 ? "line 3 of audit.log" : "lines 3 to 4 of audit.log"), next.Stderr);

        var entries = tool.AuditEntries();
        var recovery = entries[2 + unsealed];
        Assert.Equal("recover", recovery.GetProperty("event").GetString());
        Assert.Contains("interrupted before it sealed them", recovery.GetProperty("note").GetString());
        string[] expected = newKey
            ? ["generate", "export", "generate", "export", "recover", "generate", "export"]
            : ["generate", "export", "export", "recover", "generate", "export"];
        Assert.Equal(expected, entries.Select(e => e.GetProperty("event").GetString()));
        Assert.StartsWith($"audit verify: OK: {entries.Count} entries", tool.Audit("verify").Ok().Stdout);
    }

    /// <summary>The head a fresh world's first append writes before it creates the log: no entries, sealed by this world.</summary>
    static void SealEmptyHead(Tool tool) =>
        File.WriteAllBytes(tool.AuditHead(), AuditHead.Make(0, AuditHead.Genesis, TestSealKey.Of(tool.WorldDirectory)).ToFile());

    /// <summary>
    /// A fresh world's first export killed between writing its audit lines and sealing them (issue 9: the kill test's
    /// run 170 of 200, killed as the head's temporary file appeared, left a log without any head, and every later
    /// export was refused). The first append now seals the empty trail before it creates the log, so that kill leaves
    /// the lines beyond a head of no entries, and the next export reseals them like any interrupted append.
    /// </summary>
    [Fact]
    public void A_first_export_killed_before_its_head_is_resealed_by_the_next()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        tool.Run(Aws.Arguments("k1", WrapKey)).Ok();
        SealEmptyHead(tool);   // what the kill leaves: lines 1 and 2 (generate, export) beyond a head of no entries
        Assert.Contains("lines 1 to 2 are not covered by the sealed head", tool.Audit("verify").Stdout);

        var next = tool.Run(Aws.Arguments("k1", WrapKey)).Ok();
        Assert.Contains("note: the audit trail was repaired: lines 1 to 2 of audit.log", next.Stderr);
        Assert.Equal(["generate", "export", "recover", "export"], tool.AuditEntries().Select(e => e.GetProperty("event").GetString()));
        Assert.StartsWith("audit verify: OK: 4 entries", tool.Audit("verify").Ok().Stdout);
    }

    /// <summary>
    /// The order that makes the state above the only one a kill can leave: the head of no entries is in place before
    /// the log is opened. A directory in the log's place makes the opening fail, deterministically, at that moment.
    /// </summary>
    [Fact]
    public void The_first_append_seals_the_empty_trail_before_it_creates_the_log()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        Directory.CreateDirectory(tool.AuditLog());
        var failed = tool.Run(Aws.Arguments("k1", WrapKey));
        Assert.Equal(1, failed.ExitCode);
        Assert.Equal(AuditHead.Make(0, AuditHead.Genesis, TestSealKey.Of(tool.WorldDirectory)).ToFile(), File.ReadAllBytes(tool.AuditHead()));

        Directory.Delete(tool.AuditLog());
        tool.Run(Aws.Arguments("k1", WrapKey)).Ok();
        Assert.StartsWith("audit verify: OK: 2 entries", tool.Audit("verify").Ok().Stdout);
    }

    /// <summary>
    /// Killed after sealing the empty trail, before the log was created or before anything was written to it: an empty
    /// trail, which verifies and which the next export extends.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_first_export_killed_before_its_log_lines_leaves_an_empty_trail(bool emptyLog)
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        tool.Run(Aws.Arguments("k1", WrapKey)).Ok();
        SealEmptyHead(tool);
        if (emptyLog) File.WriteAllBytes(tool.AuditLog(), []);
        else File.Delete(tool.AuditLog());
        Assert.StartsWith("audit verify: OK: 0 entries", tool.Audit("verify").Ok().Stdout);

        var next = tool.Run(Aws.Arguments("k1", WrapKey)).Ok();
        Assert.DoesNotContain("repaired", next.Stderr);
        Assert.Equal(["export"], tool.AuditEntries().Select(e => e.GetProperty("event").GetString()));
        Assert.StartsWith("audit verify: OK: 1 entry", tool.Audit("verify").Ok().Stdout);
    }

    [Theory]
    [InlineData("a line without a MAC", "line 3 of audit.log is not covered by the sealed head and carries no valid MAC")]
    [InlineData("a line whose MAC was changed", "line 3 of audit.log is not covered by the sealed head and carries no valid MAC")]
    [InlineData("a line that does not continue the chain", "line 3 of audit.log is not covered by the sealed head and does not continue it")]
    [InlineData("an incomplete line", "line 4 of audit.log is incomplete")]
    [InlineData("more lines than one append writes", "lines 3 to 259 of audit.log are not covered by the sealed head")]
    public void Anything_else_beyond_the_head_stays_refused_naming_the_line(string what, string expected)
    {
        using var scratch = new Scratch();
        var tool = InterruptedAfterTheLog(scratch, newKey: false);
        var lines = File.ReadAllLines(tool.AuditLog()).ToList();
        switch (what)
        {
            case "a line without a MAC":
                lines[2] = lines[2][..lines[2].IndexOf(",\"mac\":\"", StringComparison.Ordinal)] + "}";
                break;
            case "a line whose MAC was changed":
                lines[2] = lines[2][..^3] + (lines[2][^3] == '0' ? "1" : "0") + "\"}";
                break;
            case "a line that does not continue the chain":
                lines[2] = System.Text.RegularExpressions.Regex.Replace(lines[2], "\"prev\":\"[0-9a-f]{64}\"", $"\"prev\":\"{new string('0', 64)}\"");
                break;
            case "an incomplete line":
                lines.Add("{\"seq\":4");
                break;
            case "more lines than one append writes":   // AuditTrail.MaxLinesPerAppend (256) + 1 beyond the head
                for (var i = 0; i < AuditTrail.MaxLinesPerAppend; i++) lines.Add(lines[2]);
                break;
        }
        var text = string.Join("", lines.Select(l => l + "\n"));
        File.WriteAllText(tool.AuditLog(), what == "an incomplete line" ? text.TrimEnd('\n') : text);
        var before = File.ReadAllBytes(tool.AuditLog());

        var refused = tool.Run(Aws.Arguments("k3", WrapKey));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("no longer matches its sealed head (" + expected, refused.Stderr);
        Assert.Single(refused.Stderr.TrimEnd('\n').Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Equal(before, File.ReadAllBytes(tool.AuditLog()));
    }
}
