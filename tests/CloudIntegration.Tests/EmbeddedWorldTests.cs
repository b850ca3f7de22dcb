using System.Text;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>The embedded Security World on disk: permissions, tamper detection, foreign keys, concurrency, rollback.</summary>
public sealed class EmbeddedWorldTests
{
    static readonly ExportCase Aws = ExportCases.All.First(c => c.Provider == "aws" && c.Algorithm == "RSAES_OAEP_SHA_256");
    static ProviderKeyPair Pair => ProviderKeyPair.Get(Aws.WrappingBits);

    [Fact]
    public void The_world_is_created_on_first_use_with_owner_only_permissions()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var result = tool.Run(Aws.Arguments("k1", Pair.WrapKeyFile(Aws.Form)));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"created a new embedded Security World in {tool.WorldDirectory}", result.Stderr);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(tool.WorldDirectory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(tool.WorldDirectory, "keys")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(tool.WorldDirectory, "world.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(tool.WorldDirectory, "keys", "k1.key")));
        Assert.Empty(Directory.GetFiles(tool.WorldDirectory, "*.tmp", SearchOption.AllDirectories));

        var again = tool.Run(Aws.Arguments("k1", Pair.WrapKeyFile(Aws.Form)));
        Assert.DoesNotContain("created a new", again.Stderr);
    }

    /// <summary>Flip one byte anywhere in the key file (header, its MAC, or the sealed material): always refused.</summary>
    [Theory]
    [InlineData(1, 5)]      // the JSON header
    [InlineData(1, 40)]
    [InlineData(2, 3)]      // the header MAC
    [InlineData(3, 10)]     // the sealed material
    [InlineData(3, -5)]     // the GCM tag
    public void Any_change_to_a_stored_key_is_detected(int line, int offset)
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        Assert.Equal(0, tool.Run(Aws.Arguments("k1", Pair.WrapKeyFile(Aws.Form))).ExitCode);
        var path = Path.Combine(tool.WorldDirectory, "keys", "k1.key");
        var lines = File.ReadAllText(path).Split('\n');
        var chars = lines[line].ToCharArray();
        var at = offset >= 0 ? offset : chars.Length + offset;
        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        lines[line] = new string(chars);
        File.WriteAllText(path, string.Join('\n', lines));
        foreach (var f in Directory.GetFiles(tool.WorkingDirectory)) File.Delete(f);

        var result = tool.Run(Aws.Arguments("k1", Pair.WrapKeyFile(Aws.Form)));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error: key 'k1' failed its integrity check: {path} has been modified or corrupted and is refused", result.Stderr);
        Assert.Empty(Directory.GetFiles(tool.WorkingDirectory));
    }

    [Fact]
    public void A_key_file_copied_under_another_name_is_refused()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        Assert.Equal(0, tool.Run(Aws.Arguments("k1", Pair.WrapKeyFile(Aws.Form))).ExitCode);
        var keys = Path.Combine(tool.WorldDirectory, "keys");
        File.Copy(Path.Combine(keys, "k1.key"), Path.Combine(keys, "k2.key"));
        var result = tool.Run(Aws.Arguments("k2", Pair.WrapKeyFile(Aws.Form)));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("key 'k2' failed its integrity check", result.Stderr);
    }

    [Fact]
    public void A_key_this_tool_did_not_create_is_refused()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        Assert.Equal(0, tool.Run(Aws.Arguments("k1", Pair.WrapKeyFile(Aws.Form))).ExitCode);
        File.WriteAllText(Path.Combine(tool.WorldDirectory, "keys", "foreign.key"), "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
        var result = tool.Run(Aws.Arguments("foreign", Pair.WrapKeyFile(Aws.Form)));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: key 'foreign' was not created by this tool and will not be exported", result.Stderr);
    }

    [Fact]
    public void A_damaged_world_key_is_reported_and_nothing_is_exported()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        Assert.Equal(0, tool.Run(Aws.Arguments("k1", Pair.WrapKeyFile(Aws.Form))).ExitCode);
        var worldKey = Path.Combine(tool.WorldDirectory, "world.key");
        var bytes = File.ReadAllBytes(worldKey);
        bytes[20] ^= 1;
        File.WriteAllBytes(worldKey, bytes);
        foreach (var f in Directory.GetFiles(tool.WorkingDirectory)) File.Delete(f);
        var result = tool.Run(Aws.Arguments("k1", Pair.WrapKeyFile(Aws.Form)));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the world key", result.Stderr);
        Assert.Contains("its check value does not match", result.Stderr);
        Assert.Empty(Directory.GetFiles(tool.WorkingDirectory));
    }

    [Fact]
    public void Re_export_checks_type_provider_and_keeps_the_material()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var gckms = ExportCases.All.First(c => c.Provider == "google-cloud-key-management" && c.KeyType == "AES-256");
        var gcPair = ProviderKeyPair.Get(gckms.WrappingBits);
        Assert.Equal(0, tool.Run(gckms.Arguments("shared", gcPair.WrapKeyFile(gckms.Form))).ExitCode);
        var fromGoogle = ProviderOracle.Import(gckms, tool.WorkingDirectory, "shared", gcPair);

        // The same AES-256 key to AWS and Salesforce: same material everywhere.
        Assert.Equal(0, tool.Run(Aws.Arguments("shared", Pair.WrapKeyFile(Aws.Form))).ExitCode);
        Assert.Equal(fromGoogle, ProviderOracle.Import(Aws, tool.WorkingDirectory, "shared", Pair));

        var mismatch = tool.Run([.. gckms.Arguments("shared", gcPair.WrapKeyFile(gckms.Form))[..4], "-k", "RSA-2048"]);
        Assert.Equal(2, mismatch.ExitCode);
        Assert.Contains("key 'shared' already exists as AES-256, but -k RSA-2048 was given", mismatch.Stderr);

        var wrongProvider = tool.Run(["salesforce", "shared", ProviderKeyPair.Get(4096).CertificatePem, "RSAES_OAEP_SHA_1", "-k", "AES-128"]);
        Assert.Equal(2, wrongProvider.ExitCode);
        Assert.Contains("key type AES-128 is not supported by salesforce", wrongProvider.Stderr);

        // Azure imports an AES key only into a Managed HSM: the stored key fits the provider, not this vault.
        var vault = tool.Run(["microsoft-azure", "shared", ProviderKeyPair.Get(2048).PublicPem, "-a", ExportCase.AzureKek]);
        Assert.Equal(2, vault.ExitCode);
        Assert.Contains("Key Vault imports AES keys (AES-256) only into a Managed HSM", vault.Stderr);
    }

    [Fact]
    public void A_failed_write_leaves_no_key_and_no_file_behind()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        // The second of Salesforce's two files cannot be placed: a directory has its name.
        Directory.CreateDirectory(Path.Combine(tool.WorkingDirectory, "k1-hash"));
        var salesforce = ExportCases.All.First(c => c.Provider == "salesforce");
        var result = tool.Run(salesforce.Arguments("k1", ProviderKeyPair.Get(salesforce.WrappingBits).WrapKeyFile(salesforce.Form)));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: could not write", result.Stderr);
        Assert.Contains("nothing was written", result.Stderr);
        Assert.Equal(["k1-hash"], Directory.GetFileSystemEntries(tool.WorkingDirectory).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(Path.Combine(tool.WorldDirectory, "keys")));
    }

    [Fact]
    public void Concurrent_creations_of_one_key_name_end_with_one_key_that_every_output_wraps()
    {
        using var scratch = new Scratch();
        const int Processes = 4;
        var tools = Enumerable.Range(0, Processes).Select(i => new Tool
        {
            WorldDirectory = Path.Combine(scratch.Root, "world"),
            WorkingDirectory = scratch.Dir("out" + i),
        }).ToList();
        Tool.RunConcurrently(tools, Aws.Arguments("raced", Pair.WrapKeyFile(Aws.Form)));
        var plaintexts = tools.Select(t => ProviderOracle.Import(Aws, t.WorkingDirectory, "raced", Pair)).ToList();
        Assert.All(plaintexts, p => Assert.Equal(plaintexts[0], p));
        Assert.Equal(["raced.key"], Directory.GetFiles(Path.Combine(scratch.Root, "world", "keys")).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(Path.Combine(scratch.Root, "world"), "*.tmp", SearchOption.AllDirectories));
    }
}
