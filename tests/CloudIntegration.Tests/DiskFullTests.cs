using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>A disk that fills up mid-ceremony: a clear error, and nothing half-written or left behind.</summary>
public sealed class DiskFullTests
{
    [Fact]
    public void A_full_output_disk_leaves_no_file_and_no_new_key()
    {
        using var scratch = new Scratch();
        using var disk = new TinyDisk(scratch, "tiny-out", 16);
        disk.Fill();
        var tool = new Tool { WorldDirectory = Path.Combine(scratch.Root, "world"), WorkingDirectory = disk.Path };
        var c = ExportCases.All.First(x => x.Provider == "google-cloud-key-management" && x.KeyType == "RSA-2048");
        var result = tool.Run(c.Arguments("k1", ProviderKeyPair.Get(c.WrappingBits).WrapKeyFile(c.Form)));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: could not write", result.Stderr);
        Assert.Contains("no space left on the device; nothing was written", result.Stderr);
        Assert.Equal(["filler"], Directory.GetFileSystemEntries(disk.Path).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(Path.Combine(tool.WorldDirectory, "keys")));
    }

    [Fact]
    public void A_full_key_store_disk_keeps_the_existing_keys_intact()
    {
        using var scratch = new Scratch();
        using var disk = new TinyDisk(scratch, "tiny-world", 32);
        var tool = new Tool { WorldDirectory = Path.Combine(disk.Path, "world"), WorkingDirectory = scratch.Dir("out") };
        var aws = ExportCases.All.First(x => x.Provider == "aws");
        var pair = ProviderKeyPair.Get(aws.WrappingBits);
        Assert.Equal(0, tool.Run(aws.Arguments("kept", pair.WrapKeyFile(aws.Form))).ExitCode);
        var before = ProviderOracle.Import(aws, tool.WorkingDirectory, "kept", pair);
        disk.Fill();

        var azure = ExportCases.All.First(x => x.Provider == "microsoft-azure" && x.KeyType == "RSA-4096");
        var failed = tool.Run(azure.Arguments("new-key", ProviderKeyPair.Get(azure.WrappingBits).WrapKeyFile(azure.Form)));
        Assert.Equal(1, failed.ExitCode);
        Assert.Single(failed.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error: could not write"));
        Assert.Equal(["kept.key"], Directory.GetFiles(Path.Combine(tool.WorldDirectory, "keys")).Select(Path.GetFileName));

        File.Delete(Path.Combine(disk.Path, "filler"));
        Assert.Equal(0, tool.Run(aws.Arguments("kept", pair.WrapKeyFile(aws.Form))).ExitCode);
        Assert.Equal(before, ProviderOracle.Import(aws, tool.WorkingDirectory, "kept", pair));
    }
}
