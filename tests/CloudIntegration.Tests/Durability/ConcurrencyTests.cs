using System.Diagnostics;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace CloudIntegration.Tests.Durability;

/// <summary>
/// Sixteen processes started at once on a world that does not exist yet, half of them exporting one shared key name
/// and half a name of their own: exactly one world key and one key per name come out, every process succeeds, and
/// every output unwraps (openssl) to the same material for a name and different material for different names.
/// </summary>
public sealed class ConcurrencyTests(ITestOutputHelper output)
{
    static readonly ExportCase Aws = ExportCases.All.First(c => c.Provider == "aws" && c.Algorithm == "RSAES_OAEP_SHA_256");
    const int Processes = 16;
    const int SharingOneName = Processes / 2;

    [Fact]
    public async Task Sixteen_first_runs_at_once_make_one_world_key_and_one_key_per_name()
    {
        // Four rounds in the suite (each round is 16 cold starts of the tool at once); scripts/reliability.sh runs 20.
        var rounds = HarnessSize.Get(HarnessSize.ConcurrencyRounds, 4);
        var pair = ProviderKeyPair.Get(Aws.WrappingBits);
        var wrapKey = pair.WrapKeyFile(Aws.Form);
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
        {
            using var scratch = new Scratch();
            var tools = Enumerable.Range(0, Processes).Select(i => new Tool
            {
                WorldDirectory = scratch.PathOf("world"),
                WorkingDirectory = scratch.Dir($"out{i}"),
            }).ToList();
            string NameOf(int i) => i < SharingOneName ? "shared" : $"own{i}";

            var processes = tools.Select((t, i) => t.Start(Aws.Arguments(NameOf(i), wrapKey))).ToList();
            var stderr = processes.Select(p => p.StandardError.ReadToEndAsync()).ToList();
            foreach (var p in processes) await p.WaitForExitAsync();
            var errors = await Task.WhenAll(stderr);
            var context = $"round {round}";
            for (var i = 0; i < Processes; i++)
            {
                Assert.True(processes[i].ExitCode == 0, $"{context}: process {i} ({NameOf(i)}) failed: {errors[i]}");
                processes[i].Dispose();
            }

            var notes = errors.SelectMany(s => s.Split('\n')).ToList();
            Assert.Single(notes, n => n.StartsWith("note: generated the world key", StringComparison.Ordinal));
            Assert.Single(notes, n => n.StartsWith("note: created a new embedded Security World", StringComparison.Ordinal));
            var names = Enumerable.Range(0, Processes).Select(NameOf).Distinct().ToList();
            Assert.Equal(names.Select(n => n + ".key").Order(StringComparer.Ordinal),
                         Directory.GetFiles(Path.Combine(tools[0].WorldDirectory, "keys")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Empty(Directory.GetFiles(tools[0].WorldDirectory, "*.tmp", SearchOption.AllDirectories));

            var materials = tools.Select((t, i) => ProviderOracle.Import(Aws, t.WorkingDirectory, NameOf(i), pair)).ToList();
            Assert.All(materials.Take(SharingOneName), m => Assert.Equal(materials[0], m));
            Assert.Equal(names.Count, materials.Select(Convert.ToHexString).Distinct().Count());

            // The store is whole: it lists every key, and a re-export of the shared name gives the same material.
            var list = tools[0].Run("keys", "list");
            Assert.True(list.ExitCode == 0, $"{context}: {list}");
            Assert.All(names, n => Assert.Contains(n, list.Stdout));
            Assert.Equal(0, tools[0].Run(Aws.Arguments("shared", wrapKey)).ExitCode);
            Assert.Equal(materials[0], ProviderOracle.Import(Aws, tools[0].WorkingDirectory, "shared", pair));
        }
        output.WriteLine($"concurrency test: {rounds} rounds of {Processes} processes in {clock.Elapsed.TotalSeconds:F1} s");
    }
}
