using System.Security.Cryptography;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests.Durability;

/// <summary>
/// A re-export into a directory that already holds that key's files, failing half way: every file that was there
/// stays exactly as it was (the same file: inode, bytes, mode, time), and no temporary file is left.
/// </summary>
public sealed class ReExportRollbackTests
{
    static readonly ExportCase Salesforce = ExportCases.All.First(c => c.Provider == "salesforce" && c.Algorithm == "RSAES_OAEP_SHA_1");
    static ProviderKeyPair Pair => ProviderKeyPair.Get(Salesforce.WrappingBits);
    static string[] Arguments => Salesforce.Arguments("k1", Pair.WrapKeyFile(Salesforce.Form));

    [Fact]
    public void A_salesforce_re_export_into_a_disk_that_fills_up_between_its_two_files_keeps_the_previous_files()
    {
        using var scratch = new Scratch();
        using var disk = new TinyDisk(scratch, "tiny-out", 64);
        var tool = new Tool { WorldDirectory = scratch.PathOf("world"), WorkingDirectory = disk.Path };
        Assert.Equal(0, tool.Run(Arguments).ExitCode);
        var material = ProviderOracle.Import(Salesforce, disk.Path, "k1", Pair);
        var before = FileStates.Of(disk.Path);

        disk.FillLeaving(4096); // one page: room for the first file, none for the second
        var failed = tool.Run(Arguments);

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("no space left on the device; nothing was written", failed.Stderr);
        Assert.Equal(before, FileStates.Of(disk.Path));
        File.Delete(Path.Combine(disk.Path, "filler"));
        Assert.Equal(0, tool.Run(Arguments).ExitCode);
        Assert.Equal(material, ProviderOracle.Import(Salesforce, disk.Path, "k1", Pair));
    }

    [Fact]
    public void Wherever_a_full_disk_stops_a_re_export_the_previous_files_stay_as_they_were()
    {
        using var scratch = new Scratch();
        using var disk = new TinyDisk(scratch, "tiny-out", 256, inodes: 64);
        var tool = new Tool { WorldDirectory = scratch.PathOf("world"), WorkingDirectory = disk.Path };
        Assert.Equal(0, tool.Run(Arguments).ExitCode);
        var material = ProviderOracle.Import(Salesforce, disk.Path, "k1", Pair);

        // Each file staged, and each previous file kept aside (a hard link, which tmpfs counts as an inode), takes one
        // inode: freeing one more each time moves the failure one step further until the export goes through.
        var failures = 0;
        for (var free = 0; ; free++)
        {
            var before = FileStates.Of(disk.Path);
            disk.UseUpInodesLeaving(free);
            var result = tool.Run(Arguments);
            foreach (var file in Directory.GetFiles(disk.Path, "inode-*")) File.Delete(file);
            if (result.ExitCode == 0) break;

            failures++;
            Assert.True(result.ExitCode == 1 && result.Stderr.Contains("no space left on the device; nothing was written"), result.ToString());
            Assert.Equal(before, FileStates.Of(disk.Path));
            Assert.True(free < 10, "the export never went through");
        }
        Assert.True(failures >= 2, $"only {failures} failure points were reached");
        Assert.Equal(material, ProviderOracle.Import(Salesforce, disk.Path, "k1", Pair));
        Assert.Empty(Directory.GetFiles(disk.Path, "*.tmp"));
    }

    [Fact]
    public void A_re_export_whose_second_rename_is_refused_puts_the_first_file_back()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        Assert.Equal(0, tool.Run(Arguments).ExitCode);
        var material = ProviderOracle.Import(Salesforce, tool.WorkingDirectory, "k1", Pair);
        // The second file's name is now a directory that is not empty: the first file is renamed into place, the
        // second rename fails.
        var hash = Path.Combine(tool.WorkingDirectory, "k1-hash");
        var hashText = File.ReadAllText(hash);
        File.Delete(hash);
        Directory.CreateDirectory(hash);
        File.WriteAllText(Path.Combine(hash, "x"), "x");
        var before = FileStates.Of(tool.WorkingDirectory);

        var failed = tool.Run(Arguments);

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains($"error: could not write {hash}", failed.Stderr);
        Assert.Equal(before, FileStates.Of(tool.WorkingDirectory));
        Directory.Delete(hash, recursive: true);
        File.WriteAllText(hash, hashText);
        Assert.Equal(material, ProviderOracle.Import(Salesforce, tool.WorkingDirectory, "k1", Pair));
    }
}

/// <summary>What "exactly as it was" means for the files of a directory: name, inode, mode, size, time and content.</summary>
static class FileStates
{
    public static IReadOnlyList<string> Of(string directory)
    {
        var files = Directory.GetFiles(directory).Where(f => Path.GetFileName(f) != "filler").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) return [];
        var stat = Processes.Run("stat", ["-c", "%n inode %i mode %a size %s mtime %.9Y", .. files]);
        Assert.True(stat.ExitCode == 0, stat.Stderr);
        return stat.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Zip(files, (line, file) => $"{line} sha256 {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)))}")
            .ToList();
    }
}
