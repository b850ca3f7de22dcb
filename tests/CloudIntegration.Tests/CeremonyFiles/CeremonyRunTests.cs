using System.Text.RegularExpressions;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Ceremony;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests.CeremonyFiles;

/// <summary>'ceremony run': one unlock per protection, outputs openssl accepts, minutes that sha256sum agrees with, resumable.</summary>
public sealed class CeremonyRunTests : IDisposable
{
    readonly Scratch _scratch = new();
    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void A_two_cloud_ceremony_asks_each_passphrase_once_and_its_outputs_and_minutes_check_out()
    {
        var tool = Tool.In(_scratch);
        var pair = ProviderKeyPair.Get(3072);
        var pin = CeremonyFileBuilder.FingerprintOf(pair.PublicDer);
        ProtectionFixtures.NewSoftcard(tool, _scratch, "ops", "softcard passphrase");
        string[] cardPassphrases = ["card one", "card two", "card three"];
        var cardDirectory = _scratch.Dir("cards");
        ProtectionFixtures.NewCardSet(tool, _scratch, "board", 2, cardPassphrases, cardDirectory);
        _scratch.Dir("aws-out");
        _scratch.Dir("azure-out");
        var file = CeremonyFileBuilder.Write(_scratch.PathOf("two-clouds.json"),
            new Export("aws", "aws-1", pair.PublicDer, pin) { WrapAlg = "RSAES_OAEP_SHA_256", Protection = "softcard:ops", OutputDir = "aws-out" },
            new Export("microsoft-azure", "azure-1", pair.PublicDer, pin)
                { KeyType = "EC-NISTP256", AzureKek = ExportCase.AzureKek, Protection = "cardset:board", OutputDir = "azure-out" },
            new Export("aws", "aws-2", pair.PublicDer, pin) { WrapAlg = "RSAES_OAEP_SHA_1", Protection = "softcard:ops", OutputDir = "aws-out" },
            new Export("microsoft-azure", "azure-2", pair.PublicDer, pin)
                { KeyType = "RSA-2048", AzureKek = ExportCase.AzureKek, Protection = "cardset:board", OutputDir = "azure-out" });
        // Exactly one line per passphrase: the softcard's, then two cards of the set. A second ask would find none.
        var passphrases = ProtectionFixtures.PassphraseFile(_scratch, "softcard passphrase", cardPassphrases[0], cardPassphrases[1]);
        var minutes = _scratch.PathOf("minutes.md");

        var result = tool.Ceremony("run", file, "--passphrase-file", passphrases, "--card", cardDirectory, "--report", minutes).Ok();

        Assert.Contains("4 exported, 0 skipped", result.Stdout);
        Assert.Single(Regex.Matches(result.Stderr, "card 1 of 3 of operator card set 'board' accepted|card-1.* accepted"));
        ProviderOracle.Import(new ExportCase("aws", "AES-256", "RSAES_OAEP_SHA_256", 3072, WrapKeyForm.DerSpki), _scratch.PathOf("aws-out"), "aws-1", pair);
        ProviderOracle.Import(new ExportCase("aws", "AES-256", "RSAES_OAEP_SHA_1", 3072, WrapKeyForm.DerSpki), _scratch.PathOf("aws-out"), "aws-2", pair);
        ProviderOracle.Import(new ExportCase("microsoft-azure", "EC-NISTP256", null, 3072, WrapKeyForm.DerSpki), _scratch.PathOf("azure-out"), "azure-1", pair);
        ProviderOracle.Import(new ExportCase("microsoft-azure", "RSA-2048", null, 3072, WrapKeyForm.DerSpki), _scratch.PathOf("azure-out"), "azure-2", pair);

        var report = File.ReadAllText(minutes);
        var outputs = Directory.GetFiles(_scratch.PathOf("aws-out")).Concat(Directory.GetFiles(_scratch.PathOf("azure-out"))).ToList();
        Assert.Equal(4, outputs.Count);
        foreach (var output in outputs)
        {
            var sha256sum = Processes.Run("sha256sum", [output]);
            Assert.True(sha256sum.ExitCode == 0, sha256sum.ToString());
            var hash = sha256sum.Stdout.Split(' ')[0];
            Assert.Contains($"| `{output}` | `{hash}` |", report);
        }
        Assert.Contains(CeremonyFileBuilder.FingerprintOf(file), report);             // the file's own SHA-256
        Assert.Contains(pin, report);
        Assert.Matches("Audit head after:\\*\\* \\d+ entries, last `[0-9a-f]{64}`", report);
        tool.Audit("verify").Ok();
    }

    [Fact]
    public void A_pinned_fingerprint_mismatch_generates_no_key()
    {
        var tool = Tool.In(_scratch);
        var pair = ProviderKeyPair.Get(3072);
        var other = ProviderKeyPair.Get(2048);
        var file = CeremonyFileBuilder.Write(_scratch.PathOf("swapped.json"),
            new Export("aws", "first", pair.PublicDer, CeremonyFileBuilder.FingerprintOf(pair.PublicDer)) { WrapAlg = "RSAES_OAEP_SHA_256" },
            new Export("aws", "second", pair.PublicDer, CeremonyFileBuilder.FingerprintOf(other.PublicDer)) { WrapAlg = "RSAES_OAEP_SHA_256" });

        var result = tool.Ceremony("run", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("export 2", result.Stderr);
        Assert.Contains($"not the expected {CeremonyFileBuilder.FingerprintOf(other.PublicDer)}", result.Stderr);
        Assert.False(Directory.Exists(tool.WorldDirectory), "a key store was opened");
        Assert.Empty(Directory.EnumerateFileSystemEntries(tool.WorkingDirectory));
    }

    [Fact]
    public void The_single_export_refuses_a_wrapping_key_other_than_the_expected_one()
    {
        var tool = Tool.In(_scratch);
        var pair = ProviderKeyPair.Get(3072);
        var wrong = tool.Run("aws", "k1", pair.PublicDer, "RSAES_OAEP_SHA_256", "--expect-fingerprint", new string('a', 64));
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("not the expected " + new string('a', 64), wrong.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(tool.WorkingDirectory));
        Assert.False(File.Exists(Path.Combine(tool.WorldDirectory, "keys", "k1.key")));

        var colons = string.Join(":", Enumerable.Range(0, 32).Select(i => CeremonyFileBuilder.FingerprintOf(pair.PublicDer).Substring(2 * i, 2).ToUpperInvariant()));
        tool.Run("aws", "k1", pair.PublicDer, "RSAES_OAEP_SHA_256", "--expect-fingerprint", colons).Ok();
    }

    [Fact]
    public void A_ceremony_killed_part_way_and_run_again_completes_without_wrapping_an_export_twice()
    {
        var tool = Tool.In(_scratch);
        var pair = ProviderKeyPair.Get(2048);
        var pin = CeremonyFileBuilder.FingerprintOf(pair.PublicDer);
        const int count = 400;
        var exports = Enumerable.Range(1, count)
            .Select(i => new Export("aws", $"key-{i:D3}", pair.PublicDer, pin) { WrapAlg = "RSAES_OAEP_SHA_256" }).ToArray();
        var file = CeremonyFileBuilder.Write(_scratch.PathOf("many.json"), exports);

        using (var process = tool.Start("ceremony", "run", file))
        {
            // Kill it once a few exports are done and recorded (progress lines go to stderr as each ends; records are
            // appended a batch at a time).
            string? line;
            var done = 0;
            while ((line = process.StandardError.ReadLine()) is not null && (done < 5 || RecordedExports(tool) < 3))
            {
                if (line.Contains(": exported")) done++;
            }
            process.Kill();
            process.WaitForExit();
            Assert.True(done >= 5, "the ceremony ended before it could be interrupted");
        }
        var killedAt = tool.AuditEntries().Count(e => e.GetProperty("event").GetString() == "export");
        Assert.True(killedAt < count, "the ceremony completed before it was killed");

        var statuses = RerunCompletesEachExportOnce(tool, file, count);
        Assert.Contains("skipped", statuses);
        foreach (var i in new[] { 1, count })
        {
            ProviderOracle.Import(new ExportCase("aws", "AES-256", "RSAES_OAEP_SHA_256", 2048, WrapKeyForm.DerSpki), _scratch.Root, $"key-{i:D3}", pair);
        }
    }

    /// <summary>
    /// Exports are published a chunk at a time (keys named after one barrier, outputs after another, then the records):
    /// killed in the middle of a chunk, the run leaves no output for a key that is not in the store and no partial
    /// output, and the next run completes it without wrapping an export twice.
    /// </summary>
    [Fact]
    public void A_ceremony_killed_in_the_middle_of_a_chunk_leaves_no_output_without_its_key_and_reruns_cleanly()
    {
        var tool = Tool.In(_scratch);
        var pair = ProviderKeyPair.Get(2048);
        var pin = CeremonyFileBuilder.FingerprintOf(pair.PublicDer);
        const int count = 300;   // several chunks: one publishes at most (AuditTrail.MaxLinesPerAppend - 1) / 2 exports
        var exports = Enumerable.Range(1, count)
            .Select(i => new Export("aws", $"chunk-{i:D3}", pair.PublicDer, pin) { WrapAlg = "RSAES_OAEP_SHA_256", OutputDir = "out" }).ToArray();
        Directory.CreateDirectory(_scratch.PathOf("out"));
        var file = CeremonyFileBuilder.Write(_scratch.PathOf("chunks.json"), exports);
        var keys = Path.Combine(tool.WorldDirectory, "keys");
        var outputs = _scratch.PathOf("out");

        using (var process = tool.Start("ceremony", "run", file))
        {
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            // Kill it while a chunk is being published (keys named but not yet recorded), or else while the next chunk
            // is being staged (its temporary files in the output directory), whichever is seen first.
            while (!process.HasExited)
            {
                var recorded = RecordedExports(tool);
                var named = Directory.Exists(keys) ? Directory.GetFiles(keys, "*.key").Length : 0;
                var staged = Directory.GetFiles(outputs, ".*.tmp").Length;
                if (named > recorded || recorded > 0 && staged > 0) break;
                Thread.Sleep(1);
            }
            process.Kill();
            process.WaitForExit();
        }
        var killedAt = RecordedExports(tool);
        Assert.True(killedAt < count, "the ceremony completed before it was killed");
        foreach (var output in Directory.GetFiles(outputs, "*-wrapped"))
        {
            var key = Path.GetFileName(output)[..^"-wrapped".Length];
            Assert.True(File.Exists(Path.Combine(keys, key + ".key")), $"{output} was published, but its key {key} is not in the store");
            Assert.Equal(256, new FileInfo(output).Length);
        }

        RerunCompletesEachExportOnce(tool, file, count);
        Assert.Empty(Directory.GetFiles(outputs, ".*.tmp"));
        Assert.Empty(Directory.GetFiles(keys, ".*.tmp"));
        Assert.Empty(Directory.GetFiles(tool.WorldDirectory, ".*.tmp"));   // new key files are staged there
        Assert.Equal(count, Directory.GetFiles(keys, "*.key").Length);
        foreach (var i in new[] { 1, killedAt + 1, count })
        {
            ProviderOracle.Import(new ExportCase("aws", "AES-256", "RSAES_OAEP_SHA_256", 2048, WrapKeyForm.DerSpki), outputs, $"chunk-{i:D3}", pair);
        }
    }

    [Fact]
    public void A_failed_export_stops_the_run_unless_told_to_keep_going()
    {
        var tool = Tool.In(_scratch);
        var pair = ProviderKeyPair.Get(2048);
        var pin = CeremonyFileBuilder.FingerprintOf(pair.PublicDer);
        var file = CeremonyFileBuilder.Write(_scratch.PathOf("three.json"),
            [.. new[] { "k1", "k2", "k3" }.Select(k => new Export("aws", k, pair.PublicDer, pin) { WrapAlg = "RSAES_OAEP_SHA_256" })]);
        Directory.CreateDirectory(_scratch.PathOf("k2-wrapped"));   // the check passes; the rename of k2's file cannot

        var stopped = tool.Ceremony("run", file, "--json");
        Assert.Equal(1, stopped.ExitCode);
        Assert.Equal(["exported", "failed", "notrun"], stopped.Json().GetProperty("exports").EnumerateArray().Select(e => e.GetProperty("status").GetString()));
        Assert.Contains("1 not run (give --keep-going", stopped.Stderr);
        Assert.False(File.Exists(_scratch.PathOf("k3-wrapped")));

        var kept = tool.Ceremony("run", file, "--json", "--keep-going");
        Assert.Equal(1, kept.ExitCode);
        Assert.Equal(["skipped", "failed", "exported"], kept.Json().GetProperty("exports").EnumerateArray().Select(e => e.GetProperty("status").GetString()));
        Assert.True(File.Exists(_scratch.PathOf("k3-wrapped")));
        Assert.Contains(tool.AuditEntries(), e => e.GetProperty("key").GetString() == "k2" && e.GetProperty("outcome").GetString() == "refused");
        tool.Audit("verify").Ok();
    }

    /// <summary>Runs the ceremony again: every export ends skipped or exported, each key wrapped once in all, the trail intact.</summary>
    static List<string?> RerunCompletesEachExportOnce(Tool tool, string file, int count)
    {
        var statuses = tool.Ceremony("run", file, "--json").Ok().Json().GetProperty("exports").EnumerateArray()
            .Select(e => e.GetProperty("status").GetString()).ToList();
        Assert.Equal(count, statuses.Count);
        Assert.All(statuses, s => Assert.True(s is "skipped" or "exported", s));
        var exported = tool.AuditEntries()
            .Where(e => e.GetProperty("event").GetString() == "export" && e.GetProperty("outcome").GetString() == "ok")
            .GroupBy(e => e.GetProperty("key").GetString()).ToList();
        Assert.Equal(count, exported.Count);
        Assert.All(exported, g => Assert.True(g.Count() == 1, $"{g.Key} was wrapped {g.Count()} times"));
        tool.Audit("verify").Ok();
        return statuses;
    }

    static int RecordedExports(Tool tool) =>
        File.Exists(tool.AuditLog()) ? File.ReadAllLines(tool.AuditLog()).Count(l => l.Contains("\"event\":\"export\"")) : 0;

    [Fact]
    public void The_sample_ceremony_runs_from_a_copy_of_the_checkout()
    {
        var tool = Tool.In(_scratch);
        var examples = Path.Combine(CommandLineTests.RepositoryRoot(), "examples");
        var copy = _scratch.Dir("examples");
        foreach (var path in Directory.GetFiles(examples)) File.Copy(path, Path.Combine(copy, Path.GetFileName(path)));
        Directory.CreateDirectory(Path.Combine(copy, "ceremony-output"));

        var result = tool.Ceremony("run", Path.Combine(copy, "sample-ceremony.json")).Ok();

        Assert.Contains("3 exported", result.Stdout);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(copy, "ceremony-output")).Length);
        Assert.Single(Directory.GetFiles(copy, "sample-ceremony-minutes-*.md"));
    }
}
