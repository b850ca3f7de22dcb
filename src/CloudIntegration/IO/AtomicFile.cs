using System.Runtime.InteropServices;
using CloudIntegration.Errors;

namespace CloudIntegration.IO;

/// <summary>
/// Files are written to a temporary name in the same directory, fsynced, then renamed over the target, so a crash or a
/// full disk leaves either the old file or the new one, never a half-written one.
/// </summary>
public static class AtomicFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode Readable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Writes <paramref name="content"/> to a new temporary file beside <paramref name="path"/> and returns its name.
    /// Its data is fsynced now, or, inside a <see cref="DurableBatch"/>, by the batch's next barrier (unless
    /// <paramref name="syncNow"/>).
    /// </summary>
    public static string Stage(string path, ReadOnlySpan<byte> content, UnixFileMode mode, bool syncNow = false)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.None,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = mode;
        try
        {
            using var stream = new FileStream(temp, options);
            stream.Write(content);
            var batch = syncNow ? null : DurableBatch.Current;
            stream.Flush(flushToDisk: batch is null);
            batch?.Touched(directory);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        return temp;
    }

    /// <summary>Writes a file atomically, replacing any existing file of that name.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var temp = Stage(path, content, mode);
        try
        {
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>
    /// Writes a file atomically only if no file of that name exists. Returns false, writing nothing, if one does:
    /// of two processes creating the same file at once, exactly one wins.
    /// </summary>
    public static bool TryCreate(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        // Even in a batch: a name that appears must never name an empty or partial file (keys are created this way).
        var temp = Stage(path, content, mode, syncNow: true);
        try
        {
            // On Unix, Move without overwrite is link(2) + unlink(2): it fails if the target exists, atomically.
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            TryDelete(temp);
            return false;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return true;
    }

    /// <summary>
    /// Removes temporary files that a killed process left in <paramref name="directory"/>: those whose writer (the
    /// process id in the name) is no longer running. They hold nothing the final files would not.
    /// </summary>
    public static void RemoveAbandoned(string directory)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var temp in Directory.EnumerateFiles(directory, ".*.tmp"))
        {
            var parts = Path.GetFileName(temp).Split('.');
            if (parts.Length >= 4 && int.TryParse(parts[^3], out var pid) && pid != Environment.ProcessId && !IsRunning(pid))
            {
                TryDelete(temp);
            }
        }
    }

    static bool IsRunning(int pid) => OperatingSystem.IsWindows() || Directory.Exists($"/proc/{pid}") || !Directory.Exists("/proc");

    public static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Makes a rename durable: fsync the directory that holds the new name.</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        if (DurableBatch.Current is { } batch)
        {
            batch.Touched(directory);
            return;
        }
        var fd = Native.open(directory, Native.O_RDONLY | Native.O_DIRECTORY | Native.O_CLOEXEC);
        if (fd < 0) return;
        Native.fsync(fd);
        Native.close(fd);
    }

    /// <summary>Creates a directory (and its parents) readable by the owner only.</summary>
    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, OwnerOnlyDirectory);
    }

    /// <summary>Turns an I/O failure into the one-line error the user sees.</summary>
    public static ToolError Describe(string path, Exception e) => e switch
    {
        UnauthorizedAccessException => RuntimeErrors.OutputFailed(path, "permission denied", e),
        DirectoryNotFoundException => RuntimeErrors.OutputFailed(path, "the directory does not exist", e),
        IOException io when io.HResult == 28 || io.Message.Contains("space", StringComparison.OrdinalIgnoreCase) =>
            RuntimeErrors.OutputFailed(path, "no space left on the device", e),
        _ => RuntimeErrors.OutputFailed(path, e.Message.TrimEnd('.'), e),
    };

    static partial class Native
    {
        public const int O_RDONLY = 0;
        public const int O_DIRECTORY = 0x10000;
        public const int O_CLOEXEC = 0x80000;

        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc")]
        public static extern int close(int fd);
    }
}
