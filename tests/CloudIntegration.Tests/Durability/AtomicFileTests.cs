using System.Diagnostics;
using System.Text;
using CloudIntegration.IO;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests.Durability;

/// <summary>The write primitives on a real file system: create-if-absent is exclusive, failures are reported.</summary>
public sealed class AtomicFileTests
{
    [Theory]
    [InlineData("rename-noreplace")]
    [InlineData("link")] // the fallback where a file system lacks RENAME_NOREPLACE
    public void Of_sixteen_threads_creating_one_name_at_once_exactly_one_wins_and_its_file_is_the_file(string primitive)
    {
        using var scratch = new Scratch();
        const int Threads = 16;
        for (var round = 0; round < 50; round++)
        {
            var path = Path.Combine(scratch.Root, $"created-{round}");
            using var start = new Barrier(Threads);
            var won = new bool[Threads];
            var threads = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
            {
                var content = Encoding.ASCII.GetBytes($"writer {i}");
                start.SignalAndWait();
                if (primitive == "link")
                {
                    var temp = AtomicFile.Stage(path, content, AtomicFile.OwnerOnly);
                    won[i] = PlatformFiles.TryMoveNewByLink(temp, path);
                    if (!won[i]) File.Delete(temp);
                }
                else
                {
                    won[i] = AtomicFile.TryCreate(path, content, AtomicFile.OwnerOnly);
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            Assert.Equal(1, won.Count(w => w));
            Assert.Equal($"writer {Array.IndexOf(won, true)}", File.ReadAllText(path));
        }
        Assert.Empty(Directory.GetFiles(scratch.Root, "*.tmp"));
    }

    [Fact]
    public void A_directory_that_cannot_be_synced_is_an_error_not_a_silent_success()
    {
        using var scratch = new Scratch();
        AtomicFile.SyncDirectory(scratch.Root);
        var e = Assert.ThrowsAny<IOException>(() => AtomicFile.SyncDirectory(scratch.PathOf("missing")));
        Assert.Equal(2, e.HResult); // ENOENT, reported as the runtime reports its own failures
    }

    [Fact]
    public void A_full_disk_is_recognised_by_its_error_number_not_its_words()
    {
        Assert.True(AtomicFile.IsDiskFull(new IOException("IO_DiskFull", 28)));        // ENOSPC
        Assert.True(AtomicFile.IsDiskFull(new IOException("quota", 122)));             // EDQUOT
        Assert.False(AtomicFile.IsDiskFull(new IOException("No space left on device", 5)));
        Assert.Equal("no space left on the device", AtomicFile.Reason(new IOException("IO_DiskFull", 28)));
    }

    [Fact]
    public void The_directory_is_created_once_however_many_create_it()
    {
        using var scratch = new Scratch();
        var path = Path.Combine(scratch.Root, "a", "b", "world");
        var created = new bool[8];
        Parallel.For(0, created.Length, i => created[i] = AtomicFile.TryCreatePrivateDirectory(path));
        Assert.Equal(1, created.Count(c => c));
        Assert.Equal(AtomicFile.OwnerOnlyDirectory, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Only_this_tools_temporary_files_of_dead_writers_are_removed()
    {
        using var scratch = new Scratch();
        var dead = DeadProcessId();
        var guid = Guid.NewGuid().ToString("N");
        string[] removed = [$".k1-wrapped.{dead}.{guid}.tmp", $".world.key.{dead}.{guid}.tmp"];
        string[] kept =
        [
            $".k1-wrapped.1.{guid}.tmp",                      // writer (init) still running
            $".k1-wrapped.{Environment.ProcessId}.{guid}.tmp", // this process's own
            $".notes.{dead}.tmp",                              // not this tool's name form
            $".k1.{dead}.{guid.ToUpperInvariant()}.tmp",
            $".k1.{dead}.{guid}.tmp.bak",
            $"k1.{dead}.{guid}.tmp",
        ];
        foreach (var name in removed.Concat(kept)) scratch.Write(name, "x");

        AtomicFile.RemoveAbandoned(scratch.Root);

        Assert.Equal(kept.Order(), Directory.GetFiles(scratch.Root).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void The_next_export_removes_a_killed_runs_temporary_files_from_the_output_directory()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var aws = ExportCases.All.First(c => c.Provider == "aws");
        var leftover = $".k1-wrapped.{DeadProcessId()}.{Guid.NewGuid():N}.tmp";
        scratch.Write(Path.Combine("out", leftover), "half");
        scratch.Write(Path.Combine("out", ".notes.tmp"), "the user's");

        Assert.Equal(0, tool.Run(aws.Arguments("k1", ProviderKeyPair.Get(aws.WrappingBits).WrapKeyFile(aws.Form))).ExitCode);

        Assert.Equal([".notes.tmp", "k1-wrapped"], Directory.GetFiles(tool.WorkingDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
