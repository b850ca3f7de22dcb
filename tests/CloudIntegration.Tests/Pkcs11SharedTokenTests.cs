using System.Text.RegularExpressions;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>
/// Several hosts sharing one network HSM, as processes that share neither the host lock (each its own lock
/// directory) nor a world: they meet only in the token. However they interleave, a name ends with one key, and every
/// export wraps that key.
/// </summary>
public sealed class Pkcs11SharedTokenTests
{
    const int Hosts = 16;
    const int Rounds = 20;

    /// <summary>
    /// Not in the default suite: the settling rule still leaves two keys when two creators' generations overlap and one
    /// finishes after the other has settled (seen in 2 of 3 quiet runs at the end of issue 10's work; docs/pkcs11.md,
    /// "Several hosts"). scripts/reliability.sh runs it (CLOUD_INTEGRATION_SHARED_TOKEN_RACE=1) until the rule is fixed.
    /// </summary>
    [SharedTokenRaceFact]
    public void Hosts_racing_to_create_a_name_end_with_one_key_that_every_output_wraps()
    {
        using var scratch = new Scratch();
        var hsm = SoftHsm.Create(scratch, SoftHsmToken.Label);
        var aws = ExportCases.All.First(c => c.Provider == "aws" && c.Algorithm == "RSAES_OAEP_SHA_1");
        var pair = ProviderKeyPair.Get(aws.WrappingBits);
        var wrapKey = pair.WrapKeyFile(aws.Form);
        var hosts = Enumerable.Range(0, Hosts).Select(i =>
        {
            var host = scratch.Dir($"host{i}");
            var tool = hsm.Configure(new Tool { WorldDirectory = Path.Combine(host, "world"), WorkingDirectory = host });
            tool.Environment["XDG_RUNTIME_DIR"] = scratch.Dir($"host{i}/locks");   // no lock in common with the others
            return tool;
        }).ToList();

        for (var round = 0; round < Rounds; round++)
        {
            var name = $"shared{round}";
            Tool.RunConcurrently(hosts, aws.Arguments(name, wrapKey));
            var plaintexts = hosts.Select(t => ProviderOracle.Import(aws, t.WorkingDirectory, name, pair)).ToList();
            Assert.All(plaintexts, p => Assert.Equal(plaintexts[0], p));
        }
        var objects = hsm.Pkcs11Tool(SoftHsmToken.Label, "--list-objects", "--type", "secrkey").Stdout;
        for (var round = 0; round < Rounds; round++)
        {
            Assert.True(Regex.Matches(objects, $@"label:\s+shared{round}\n").Count == 1, $"round {round}: {objects}");
        }
    }
}

/// <summary>Runs only where CLOUD_INTEGRATION_SHARED_TOKEN_RACE=1 (scripts/reliability.sh sets it).</summary>
public sealed class SharedTokenRaceFactAttribute : FactAttribute
{
    public SharedTokenRaceFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CLOUD_INTEGRATION_SHARED_TOKEN_RACE") != "1")
        {
            Skip = "the several-hosts race is a known open defect (issue 10); set CLOUD_INTEGRATION_SHARED_TOKEN_RACE=1 to run it";
        }
    }
}
