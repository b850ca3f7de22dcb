namespace CloudIntegration.Tests.Support;

/// <summary>
/// A tmpfs of a few KiB mounted for one test, to make a disk really fill up. Needs root (CI and the developers'
/// machines run the suite as root); without it the test fails and says why rather than skipping.
/// </summary>
public sealed class TinyDisk : IDisposable
{
    /// <param name="inodes">The most files (and, on tmpfs, hard links) it holds; null for tmpfs's default.</param>
    public TinyDisk(Scratch scratch, string name, int kilobytes, int? inodes = null)
    {
        Path = scratch.Dir(name);
        var limit = inodes is { } n ? $",nr_inodes={n}" : "";
        Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k{limit},mode=0755", "tmpfs", Path);
    }

    public string Path { get; }

    /// <summary>Fills the disk to the last byte.</summary>
    public void Fill()
    {
        using var filler = new FileStream(System.IO.Path.Combine(Path, "filler"), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        foreach (var size in new[] { 1024, 1 })
        {
            var block = new byte[size];
            try
            {
                while (true) filler.Write(block);
            }
            catch (IOException) { }
        }
    }

    /// <summary>Fills the disk, then frees <paramref name="bytes"/> of it again (tmpfs counts whole 4 KiB pages).</summary>
    public void FillLeaving(long bytes)
    {
        Fill();
        var filler = System.IO.Path.Combine(Path, "filler");
        using var stream = new FileStream(filler, FileMode.Open, FileAccess.Write);
        stream.SetLength(Math.Max(0, stream.Length - bytes));
    }

    /// <summary>Creates empty files until no inode is left, then removes <paramref name="free"/> of them again.</summary>
    public void UseUpInodesLeaving(int free)
    {
        var made = new List<string>();
        try
        {
            while (true)
            {
                var file = System.IO.Path.Combine(Path, $"inode-{made.Count}");
                File.WriteAllBytes(file, []);
                made.Add(file);
            }
        }
        catch (IOException) { }
        foreach (var file in made.TakeLast(free)) File.Delete(file);
    }

    public void Dispose() => Run("umount", "-l", Path);

    static void Run(params string[] command)
    {
        var result = Processes.Run(command[0], command[1..]);
        if (result.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"{string.Join(' ', command)} failed: {result.Stderr.Trim()} " +
                                               "(the disk-full tests mount a small tmpfs and need root)");
        }
    }
}
