using System.Globalization;
using CloudIntegration.Errors;

namespace CloudIntegration.IO;

/// <summary>
/// Files are written to a temporary name in the same directory, fsynced, then renamed to their name, and the directory
/// is fsynced, so a crash or a full disk leaves either the old file or the new one, never a half-written one.
/// <para>
/// The steps are public so that a batch can stage many files, place them all and sync each directory once:
/// <see cref="Stage"/> (write and fsync a temporary file), <see cref="Replace"/> or <see cref="TryPlaceNew"/> (rename it
/// to its name), <see cref="SyncDirectory"/> (make the names durable). <see cref="Write"/> and
/// <see cref="TryCreate"/> are the three steps for one file.
/// </para>
/// </summary>
public static class AtomicFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode Readable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Writes <paramref name="content"/> to a new temporary file beside <paramref name="path"/> (or in
    /// <paramref name="stagingDirectory"/>, on the same file system), fsynced, and returns its name. Inside a
    /// <see cref="DurableBatch"/> the batch's next barrier makes it durable instead (unless <paramref name="syncNow"/>).
    /// </summary>
    public static string Stage(string path, ReadOnlySpan<byte> content, UnixFileMode mode, bool syncNow = false, string? stagingDirectory = null)
    {
        var temp = TempName(stagingDirectory is null ? path : Path.Combine(stagingDirectory, Path.GetFileName(path)));
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
            using var stream = OperatingSystem.IsWindows() && PlatformFiles.IsOwnerOnly(mode) ? WindowsAcl.CreatePrivateFile(temp) : new FileStream(temp, options);
            stream.Write(content);
            var batch = syncNow ? null : DurableBatch.Current;
            stream.Flush(flushToDisk: batch is null);
            batch?.Touched(DirectoryOf(path));
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        return temp;
    }

    /// <summary>Renames a staged file to <paramref name="path"/>, replacing any file of that name (not yet durable: see <see cref="SyncDirectory"/>).</summary>
    public static void Replace(string temp, string path) => PlatformFiles.Replace(temp, path);

    /// <summary>
    /// Renames a staged file to <paramref name="path"/> only if no file of that name exists; false, changing nothing,
    /// if one does. Of several processes placing the same name at once, exactly one succeeds.
    /// </summary>
    public static bool TryPlaceNew(string temp, string path) => PlatformFiles.TryMoveNew(temp, path);

    /// <summary>Makes the renames in <paramref name="directory"/> durable; throws when the file system reports that it could not.</summary>
    public static void SyncDirectory(string directory)
    {
        if (DurableBatch.Current is { } batch) batch.Touched(directory);
        else PlatformFiles.SyncDirectory(directory);
    }

    /// <summary>Writes a file atomically, replacing any existing file of that name.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var temp = Stage(path, content, mode);
        try
        {
            Replace(temp, path);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        SyncDirectory(DirectoryOf(path));
    }

    /// <summary>
    /// Writes a file atomically only if no file of that name exists. Returns false, writing nothing, if one does:
    /// of two processes creating the same file at once, exactly one wins and the other reads the winner's file.
    /// <paramref name="deferrable"/>: the caller reads the file back only through <see cref="ReadablePath"/>.
    /// <paramref name="stagingDirectory"/>: where the temporary file is written, when not beside the file (see
    /// <see cref="Stage"/>); a directory of many files is then never listed to sweep a killed run's leftovers.
    /// </summary>
    public static bool TryCreate(string path, ReadOnlySpan<byte> content, UnixFileMode mode, bool deferrable = false, string? stagingDirectory = null)
    {
        // In a ceremony's chunk a new key gets its name later, after one barrier for the whole chunk
        // (DeferredPublication); until then its store reads it through ReadablePath. Other files are never deferred.
        if (deferrable && DurableBatch.Current?.Deferred is { } deferred) return deferred.StageCreate(path, content, mode, stagingDirectory);
        // Even in a batch: a name that appears must never name an empty or partial file (keys are created this way).
        var temp = Stage(path, content, mode, syncNow: true, stagingDirectory);
        bool placed;
        try
        {
            placed = TryPlaceNew(temp, path);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        if (!placed)
        {
            TryDelete(temp);
            return false;
        }
        SyncDirectory(DirectoryOf(path));
        return true;
    }

    /// <summary>Where the file <paramref name="path"/> can be read: its temporary name while a chunk has not yet placed it.</summary>
    public static string ReadablePath(string path) => DurableBatch.Current?.Deferred?.PendingPath(path) ?? path;

    /// <summary>Deletes a file (or withdraws one a chunk has not yet placed); the directory is synced as for a rename.</summary>
    public static void Delete(string path)
    {
        if (DurableBatch.Current?.Deferred?.TryWithdraw(path) == true) return;
        File.Delete(path);
        SyncDirectory(DirectoryOf(path));
    }

    /// <summary>
    /// Removes the temporary files (this tool's names only: <c>.NAME.PID.GUID.tmp</c>) that a killed process left in
    /// <paramref name="directory"/>, those whose writer is no longer running. They hold nothing the final files need.
    /// </summary>
    public static void RemoveAbandoned(string directory)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var temp in Directory.EnumerateFiles(directory, ".*.tmp"))
        {
            if (TempWriter(Path.GetFileName(temp)) is { } pid && pid != Environment.ProcessId && !PlatformFiles.IsRunning(pid))
            {
                TryDelete(temp);
            }
        }
    }

    /// <summary>A new temporary name beside <paramref name="path"/>, naming this process as its writer.</summary>
    public static string TempName(string path) =>
        Path.Combine(DirectoryOf(path), $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    /// <summary>The writer's process id when <paramref name="fileName"/> is one of this tool's temporary names.</summary>
    internal static int? TempWriter(string fileName)
    {
        var parts = fileName.Split('.');
        // "", NAME (may itself hold dots), PID, GUID (32 hex digits), "tmp"
        if (parts.Length < 5 || parts[0].Length != 0 || parts[^1] != "tmp") return null;
        if (parts[^2].Length != 32 || !parts[^2].All(char.IsAsciiHexDigitLower)) return null;
        return int.TryParse(parts[^3], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
    }

    public static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Creates a directory (and its parents) readable by the owner only.</summary>
    public static void CreatePrivateDirectory(string path) => TryCreatePrivateDirectory(path);

    /// <summary>
    /// Creates a directory (and its parents) readable by the owner only; true only for the one caller that created
    /// it, however many create it at once.
    /// </summary>
    public static bool TryCreatePrivateDirectory(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) return false;
        if (Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(full)) is { } parent)
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(parent);
            else Directory.CreateDirectory(parent, OwnerOnlyDirectory);
        }
        return PlatformFiles.TryCreateDirectory(full, OwnerOnlyDirectory);
    }

    /// <summary>Whether <paramref name="e"/> reports a full disk (or an exhausted quota), by its error number.</summary>
    public static bool IsDiskFull(Exception e) => PlatformFiles.IsDiskFull(e);

    /// <summary>Turns an I/O failure into the one-line error the user sees.</summary>
    public static ToolError Describe(string path, Exception e) => RuntimeErrors.OutputFailed(path, Reason(e), e);

    /// <summary>Why an I/O operation failed, in the words of the error line.</summary>
    public static string Reason(Exception e) => e switch
    {
        _ when IsDiskFull(e) => "no space left on the device",
        UnauthorizedAccessException => "permission denied",
        DirectoryNotFoundException => "the directory does not exist",
        _ => ErrorText.Describe(e),   // never the runtime's text: this build reduces it to a resource key
    };

    static string DirectoryOf(string path) => Path.GetDirectoryName(Path.GetFullPath(path))!;
}
