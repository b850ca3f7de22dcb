using System.Diagnostics;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace CloudIntegration.Tests.Durability;

/// <summary>
/// The tool, a real process, killed (SIGKILL) at random points across whole exports: after a delay drawn over the
/// measured length of an export, when the n-th temporary file appears, or when the n-th file is renamed into place.
/// After each kill every command works, no output file is partial, the next export completes and leaves no temporary
/// file, and every export of a name carries the same key material (decrypted by openssl).
/// </summary>
public sealed class KillTests(ITestOutputHelper output)
{
    // Salesforce writes two files, so kills also land between the renames of one export.
    static readonly ExportCase Salesforce = ExportCases.All.First(c => c.Provider == "salesforce" && c.Algorithm == "RSAES_OAEP_SHA_1");
    const int RunsPerWorld = 10;
    const int Names = 4;

    [Fact]
    public void An_export_killed_at_any_point_leaves_a_world_and_outputs_that_the_next_run_completes()
    {
        // 40 runs in the suite (four fresh worlds, each trigger about a dozen times); scripts/reliability.sh runs 200.
        var runs = HarnessSize.Get(HarnessSize.KillRuns, 40);
        var random = new Random(20260902);
        var pair = ProviderKeyPair.Get(Salesforce.WrappingBits);
        using var scratch = new Scratch();
        var wrapKey = pair.WrapKeyFile(Salesforce.Form);
        var clock = Stopwatch.StartNew();
        var exportTime = MeasureExport(scratch, wrapKey);
        var kills = new Dictionary<string, int> { ["delay"] = 0, ["temporary file"] = 0, ["rename"] = 0 };
        var finishedFirst = 0;
        var repairedTrails = 0; // killed between the audit log's write and its head's, resealed by the next export

        Tool tool = null!;
        Dictionary<string, byte[]> materials = null!;
        for (var run = 0; run < runs; run++)
        {
            if (run % RunsPerWorld == 0)
            {
                // A fresh world and output directory now and then, so that kills also land in the world's creation.
                var root = scratch.Dir($"world-{run / RunsPerWorld}");
                tool = new Tool { WorldDirectory = Path.Combine(root, "world"), WorkingDirectory = Path.Combine(root, "out") };
                Directory.CreateDirectory(tool.WorkingDirectory);
                materials = [];
            }
            var name = $"k{random.Next(Names)}";
            var trigger = (KillTrigger)random.Next(3);
            var args = Salesforce.Arguments(name, wrapKey);
            var killed = trigger switch
            {
                KillTrigger.Delay => KillAfter(tool, args, exportTime * random.NextDouble()),
                // A fresh world's first export makes six: world key, key, two output files, the empty trail's head, the head.
                KillTrigger.TemporaryFile => KillOnEvent(tool, args, trigger, random.Next(1, 7)),
                KillTrigger.Rename => KillOnEvent(tool, args, trigger, random.Next(1, 4)),
                _ => throw new ArgumentOutOfRangeException(nameof(trigger)),
            };
            if (killed) kills[Describe(trigger)]++;
            else finishedFirst++;

            var context = $"run {run}: {name}, kill on {Describe(trigger)}";
            CheckAfterKill(tool, pair, materials, context);
            var next = tool.Run(args);
            Assert.True(next.ExitCode == 0, $"{context}: the next export failed\n{next}");
            if (next.Stderr.Contains("the audit trail was repaired", StringComparison.Ordinal)) repairedTrails++;
            Assert.Empty(Leftovers(tool));
            var audit = tool.Run("audit", "verify");
            Assert.True(audit.ExitCode == 0, $"{context}: audit verify failed after the next export\n{audit}");
            var material = ProviderOracle.Import(Salesforce, tool.WorkingDirectory, name, pair);
            if (materials.TryGetValue(name, out var known)) Assert.True(known.SequenceEqual(material), $"{context}: the key material changed");
            else materials[name] = material;
        }
        var killedCount = kills.Values.Sum();
        output.WriteLine($"kill test: {runs} runs in {clock.Elapsed.TotalSeconds:F1} s (an export takes {exportTime.TotalMilliseconds:F0} ms); " +
                         $"killed mid-export {killedCount} ({string.Join(", ", kills.Select(k => $"{k.Key} {k.Value}"))}), finished before the kill {finishedFirst}; " +
                         $"audit trails repaired by the next export {repairedTrails}");
        Assert.True(killedCount >= runs / 2, $"only {killedCount} of {runs} runs were killed before they finished");
        Assert.All(kills, k => Assert.True(k.Value > 0, $"no run was killed on {k.Key}"));
    }

    enum KillTrigger { Delay, TemporaryFile, Rename }

    static string Describe(KillTrigger trigger) => trigger switch
    {
        KillTrigger.Delay => "delay",
        KillTrigger.TemporaryFile => "temporary file",
        KillTrigger.Rename => "rename",
        _ => throw new ArgumentOutOfRangeException(nameof(trigger)),
    };

    /// <summary>
    /// The shortest of a few whole exports as a process (a new world and key, then re-exports): delays drawn over it
    /// nearly all land before the export ends, also on a loaded machine where one export can take several times
    /// another (with the longest, at load average 50, 9 of 40 runs ended before their kill and only 2 were killed on a delay). The end of an export is reached by
    /// the rename trigger.
    /// </summary>
    static TimeSpan MeasureExport(Scratch scratch, string wrapKey)
    {
        var tool = new Tool { WorldDirectory = scratch.PathOf("measure-world"), WorkingDirectory = scratch.Dir("measure-out") };
        var shortest = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            var result = tool.RunProcess(Salesforce.Arguments("measured", wrapKey));
            Assert.True(result.ExitCode == 0, result.ToString());
            shortest = TimeSpan.FromTicks(Math.Min(shortest.Ticks, clock.Elapsed.Ticks));
        }
        return shortest;
    }

    /// <summary>Starts the export and kills it after <paramref name="delay"/>; false when it had finished by then.</summary>
    static bool KillAfter(Tool tool, string[] args, TimeSpan delay)
    {
        using var process = tool.Start(args);
        process.WaitForExit(delay);
        return Kill(process) || FinishedWell(process);
    }

    /// <summary>
    /// Starts the export and kills it on the <paramref name="nth"/> appearance of a temporary file, or the n-th rename
    /// of one to its final name, anywhere in the world or the output directory.
    /// </summary>
    static bool KillOnEvent(Tool tool, string[] args, KillTrigger trigger, int nth)
    {
        var root = Path.GetDirectoryName(tool.WorldDirectory)!;
        using var watcher = new FileSystemWatcher(root) { IncludeSubdirectories = true };
        var seen = 0;
        var killed = false;
        Process? process = null;
        var gate = new object();
        void OnEvent(bool isTrigger)
        {
            if (!isTrigger) return;
            lock (gate)
            {
                if (++seen == nth && process is not null) killed = Kill(process);
            }
        }
        watcher.Created += (_, e) => OnEvent(trigger == KillTrigger.TemporaryFile && IsTemporary(e.Name));
        watcher.Renamed += (_, e) => OnEvent(trigger == KillTrigger.Rename && IsTemporary(e.OldName) && !IsTemporary(e.Name));
        watcher.EnableRaisingEvents = true;
        lock (gate) process = tool.Start(args);
        using (process)
        {
            process.WaitForExit();
            lock (gate) return killed || FinishedWell(process);
        }
    }

    /// <summary>A run that ended before its kill must have succeeded; returns false (not killed).</summary>
    static bool FinishedWell(Process process)
    {
        Assert.True(process.ExitCode == 0, $"an export that was not killed failed: {process.StandardError.ReadToEnd()}");
        return false;
    }

    static bool IsTemporary(string? name) => name is not null && Path.GetFileName(name).EndsWith(".tmp", StringComparison.Ordinal);

    /// <summary>SIGKILL; true when the process was still running.</summary>
    static bool Kill(Process process)
    {
        try
        {
            if (process.HasExited) return false;
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        process.WaitForExit();
        return process.ExitCode == 137;
    }

    /// <summary>Before any repair: every command works and every output file there is whole and of the key of its name.</summary>
    static void CheckAfterKill(Tool tool, ProviderKeyPair pair, Dictionary<string, byte[]> materials, string context)
    {
        if (Directory.Exists(tool.WorldDirectory))
        {
            var list = tool.Run("keys", "list");
            Assert.True(list.ExitCode == 0, $"{context}: keys list failed\n{list}");
            foreach (var keyFile in Directory.GetFiles(Path.Combine(tool.WorldDirectory, "keys"), "*.key"))
            {
                Assert.Contains(Path.GetFileNameWithoutExtension(keyFile), list.Stdout);
            }
        }
        foreach (var file in Directory.GetFiles(tool.WorkingDirectory).Where(f => !IsTemporary(f)))
        {
            var fileName = Path.GetFileName(file);
            var text = File.ReadAllText(file);
            if (fileName.EndsWith("-wrapped", StringComparison.Ordinal))
            {
                var secret = OpenSsl.Decrypt(pair.PrivatePem, Convert.FromBase64String(text), Salesforce.Padding);
                Assert.Equal(32, secret.Length);
                if (materials.TryGetValue(fileName[..^"-wrapped".Length], out var known)) Assert.True(known.SequenceEqual(secret), $"{context}: {fileName} holds another key");
            }
            else
            {
                Assert.True(fileName.EndsWith("-hash", StringComparison.Ordinal), $"{context}: unexpected file {fileName}");
                Assert.Equal(32, Convert.FromBase64String(text).Length);
                if (materials.TryGetValue(fileName[..^"-hash".Length], out var known)) Assert.Equal(OpenSsl.Sha256Base64(known), text);
            }
        }
    }

    static IEnumerable<string> Leftovers(Tool tool) =>
        Directory.GetFiles(tool.WorldDirectory, "*.tmp", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(tool.WorkingDirectory, "*.tmp"));
}
