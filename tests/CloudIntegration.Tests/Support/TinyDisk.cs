namespace CloudIntegration.Tests.Support;

/// <summary>
/// A tmpfs of a few KiB mounted for one test, to make a disk really fill up. Needs root (CI and the developers'
/// machines run the suite as root); without it the test fails and says why rather than skipping.
/// </summary>
public sealed class TinyDisk : IDisposable
{
    public TinyDisk(Scratch scratch, string name, int kilobytes)
    {
        Path = scratch.Dir(name);
        Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k,mode=0755", "tmpfs", Path);
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
