using CloudIntegration.Tests.Ceremony;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests.CeremonyFiles;

/// <summary>'ceremony check': every problem at once, nothing touched; a malformed file is a usage error with its place.</summary>
public sealed class CeremonyCheckTests : IDisposable
{
    readonly Scratch _scratch = new();
    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Check_lists_every_kind_of_problem_at_once_and_changes_nothing()
    {
        var tool = Tool.In(_scratch);
        var pair = ProviderKeyPair.Get(3072);
        var pin = CeremonyFileBuilder.FingerprintOf(pair.PublicDer);
        // A world with an existing module-protected key, so a re-export that does not fit it can be asked for.
        tool.Run("aws", "kept", pair.PublicDer, "RSAES_OAEP_SHA_256").Ok();
        var outputs = _scratch.Dir("ceremony-out");
        var file = _scratch.PathOf("problems.json");
        CeremonyFileBuilder.Write(file,
            new Export("no-such-cloud", "k1", pair.PublicDer, pin),                                              // 1 provider
            new Export("aws", "bad name!", pair.PublicDer, pin) { WrapAlg = "RSAES_OAEP_SHA_256" },               // 2 key name
            new Export("aws", "k3", pair.PublicDer, pin) { KeyType = "EC-ED25519", WrapAlg = "RSAES_OAEP_SHA_256" },  // 3 type
            new Export("aws", "k4", pair.PublicDer, pin),                                                         // 4 no wrapAlg
            new Export("microsoft-azure", "k5", pair.PublicDer, pin) { KeyType = "EC-NISTP256" },                 // 5 no kid
            new Export("aws", "k6", _scratch.PathOf("missing.der"), pin) { WrapAlg = "RSAES_OAEP_SHA_256" },      // 6 no wrapping key
            new Export("aws", "k7", pair.PublicDer, new string('0', 64)) { WrapAlg = "RSAES_OAEP_SHA_256" },      // 7 swapped key
            new Export("aws", "k8", pair.PublicDer, "not-a-fingerprint") { WrapAlg = "RSAES_OAEP_SHA_256" },      // 8 bad pin
            new Export("aws", "k9", pair.PublicDer, pin) { WrapAlg = "RSAES_OAEP_SHA_256", OutputDir = "nowhere" }, // 9 no dir
            new Export("aws", "k10", pair.PublicDer, pin) { WrapAlg = "RSAES_OAEP_SHA_256", OutputDir = "ceremony-out" },
            new Export("aws", "k10", pair.PublicDer, pin) { WrapAlg = "RSAES_OAEP_SHA_1", OutputDir = "ceremony-out" }, // 11 same file
            new Export("aws", "k12", pair.PublicDer, pin) { WrapAlg = "RSAES_OAEP_SHA_256", Protection = "softcard:ghost" }, // 12 no softcard
            new Export("aws", "k13", pair.PublicDer, pin) { WrapAlg = "RSAES_OAEP_SHA_256", Protection = "cardset:ghosts" }, // 13 no card set
            new Export("aws", "kept", pair.PublicDer, pin) { WrapAlg = "RSAES_OAEP_SHA_256", Protection = "softcard:ghost", OutputDir = "ceremony-out" }, // 14 misfit
            new Export("google-cloud-key-management", "k15", pair.PublicDer, pin) { KeyType = "EC-NISTP256", WrapAlg = "RSAES_OAEP_SHA_256" },
            new Export("google-cloud-key-management", "k15", pair.PublicDer, pin) { KeyType = "AES-256", WrapAlg = "RSAES_OAEP_SHA_1", OutputDir = "ceremony-out" }, // 16 type clash
            new Export("aws", "k17", pair.PublicDer, pin) { WrapAlg = "RSAES_OAEP_SHA_256", Protection = "vault:x" }); // 17 protection
        var before = CeremonyFileBuilder.Everything(tool.WorldDirectory, tool.WorkingDirectory, outputs);

        var result = tool.Ceremony("check", file);

        Assert.Equal(1, result.ExitCode);
        string[] expected =
        [
            "export 1 (line 3, key 'k1'): unknown provider 'no-such-cloud'",
            "export 2 (", "invalid keyName",
            "export 3 (", "key type EC-ED25519 is not supported by aws",
            "export 4 (", "aws needs a wrapping algorithm",
            "export 5 (", "needs -a/--azure-kek",
            "export 6 (", "missing.der",
            "export 7 (", "not the expected " + new string('0', 64),
            "export 8 (", "'not-a-fingerprint' is not a SHA-256 fingerprint",
            "export 9 (", "nowhere does not exist",
            "export 11 (", "which export 10 (",
            "export 12 (", "softcard 'ghost' does not exist",
            "export 13 (", "operator card set 'ghosts' does not exist",
            "export 14 (", "key 'kept'",
            "export 16 (", "asks for key type AES-256, but export 15",
            "export 17 (", "protection 'vault:x' is not one of",
        ];
        foreach (var text in expected) Assert.Contains(text, result.Stderr);
        Assert.DoesNotContain("problem: export 10 (", result.Stderr);
        Assert.DoesNotContain("problem: export 15 (", result.Stderr);
        Assert.Contains("error: the ceremony file has ", result.Stderr);
        Assert.Equal(before, CeremonyFileBuilder.Everything(tool.WorldDirectory, tool.WorkingDirectory, outputs));
    }

    [Fact]
    public void Check_of_a_good_file_prints_the_plan_and_creates_no_world()
    {
        var tool = Tool.In(_scratch);
        var pair = ProviderKeyPair.Get(3072);
        var pin = CeremonyFileBuilder.FingerprintOf(pair.PublicDer);
        var file = CeremonyFileBuilder.Write(_scratch.PathOf("good.json"),
            new Export("aws", "k1", pair.PublicDer, pin.ToUpperInvariant()) { WrapAlg = "RSAES_OAEP_SHA_256" },
            new Export("microsoft-azure", "k2", pair.PublicDer, pin) { KeyType = "EC-NISTP384", AzureKek = Cases.ExportCase.AzureKek });

        var result = tool.Ceremony("check", file).Ok();

        Assert.Contains("2 export(s)", result.Stdout);
        Assert.Contains("microsoft-azure", result.Stdout);
        Assert.False(Directory.Exists(tool.WorldDirectory), "check created the world");
        Assert.Empty(Directory.EnumerateFileSystemEntries(tool.WorkingDirectory));
    }

    [Theory]
    [InlineData("{\"exports\": [ {\"provider\": \"aws\",\n \"keyName\": 7 } ] }", "line 2, field exports[0].keyName: expected a string")]
    [InlineData("{\"exports\": [\n {\"provider\": \"aws\", \"keyName\": \"k\", \"wrappingKey\": \"w\"} ] }", "line 2, field exports[0].wrappingKeyFingerprint: the field is missing")]
    [InlineData("{\"exports\": [\n\n {\"provider\": \"aws\", \"colour\": \"red\"} ] }", "line 3, field exports[0].colour: unknown field")]
    [InlineData("{\"exports\": [\n {\"provider\": \"aws\",,\n ] }", "line 2: this is not valid JSON")]
    [InlineData("{\"title\": \"x\"}", "line 1, field exports: the field is missing")]
    [InlineData("{\"exports\": []}", "line 1, field exports: the list is empty")]
    [InlineData("[1, 2]", "line 1: expected a JSON object")]
    public void A_malformed_file_is_a_usage_error_naming_line_and_field(string content, string expected)
    {
        var tool = Tool.In(_scratch);
        var file = _scratch.Write("bad.json", content);
        foreach (var verb in new[] { "check", "run" })
        {
            var result = tool.Ceremony(verb, file);
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.StartsWith($"error: ceremony file {file}, {expected}", result.Stderr);
            Assert.False(Directory.Exists(tool.WorldDirectory));
        }
    }

    [Fact]
    public void The_sample_ceremony_file_checks_from_a_checkout()
    {
        var tool = Tool.In(_scratch);
        var sample = Path.Combine(CommandLineTests.RepositoryRoot(), "examples", "sample-ceremony.json");
        var result = tool.Ceremony("check", sample).Ok();
        Assert.Contains("3 export(s)", result.Stdout);
        Assert.False(Directory.Exists(tool.WorldDirectory));
    }
}
