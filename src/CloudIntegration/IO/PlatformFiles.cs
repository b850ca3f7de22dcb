using System.Diagnostics;
using System.Runtime.InteropServices;
using CloudIntegration.Native.Posix;

namespace CloudIntegration.IO;

/// <summary>
/// The file-system calls whose meaning differs by platform, in one place: libc on Linux (the runtime offers no
/// create-if-absent rename, no directory fsync and no hard link), the runtime's own calls on Windows. Failures are
/// exceptions of the runtime's kinds (<see cref="IOException"/> with the error number as HResult, or
/// <see cref="UnauthorizedAccessException"/>), so callers handle one set of exceptions whatever the source.
/// </summary>
static class PlatformFiles
{
    /// <summary>
    /// Renames <paramref name="source"/> to <paramref name="destination"/> only if no file of that name exists; false,
    /// changing nothing, if one does. The check and the rename are one step: of two callers, exactly one succeeds.
    /// </summary>
    public static bool TryMoveNew(string source, string destination)
    {
        // MoveFileEx without MOVEFILE_REPLACE_EXISTING fails, atomically, when the destination exists.
        if (OperatingSystem.IsWindows()) return WindowsMove.TryCreate(source, destination);
        // File.Move(overwrite: false) checks, then calls rename(2), which replaces: two creators would both "win".
        var errno = RenameNoReplace(source, destination);
        if (errno == 0) return true;
        if (errno == LibC.EEXIST) return false;
        if (errno is not (LibC.EINVAL or LibC.ENOSYS or LibC.EOPNOTSUPP)) throw Failure(errno);
        return TryMoveNewByLink(source, destination);
    }

    /// <summary>
    /// For a kernel or file system without RENAME_NOREPLACE: link(2) fails just as atomically when the name exists;
    /// then the temporary name is removed (a kill between the two leaves it for the next run to remove).
    /// </summary>
    internal static bool TryMoveNewByLink(string source, string destination)
    {
        if (LibC.Link(source, destination) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.EEXIST) return false;
            throw Failure(errno);
        }
        File.Delete(source);
        return true;
    }

    /// <summary>renameat2(RENAME_NOREPLACE): 0, or the error number (ENOSYS from a C library older than glibc 2.28).</summary>
    static int RenameNoReplace(string source, string destination)
    {
        try
        {
            return LibC.RenameAt2(LibC.AT_FDCWD, source, LibC.AT_FDCWD, destination, LibC.RENAME_NOREPLACE) == 0
                ? 0 : Marshal.GetLastPInvokeError();
        }
        catch (EntryPointNotFoundException)
        {
            return LibC.ENOSYS;
        }
    }

    /// <summary>
    /// Gives <paramref name="existing"/> a second name; false when the file system has no hard links (FAT, or
    /// Windows, where the runtime offers none), and the caller copies instead.
    /// </summary>
    public static bool TryLink(string existing, string newName)
    {
        if (OperatingSystem.IsWindows()) return false;
        if (LibC.Link(existing, newName) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno is LibC.EPERM or LibC.EOPNOTSUPP) return false;
        throw Failure(errno);
    }

    /// <summary>Creates one directory (its parent must exist); false when the name already exists.</summary>
    public static bool TryCreateDirectory(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            if (IsOwnerOnly(mode)) return WindowsAcl.TryCreatePrivateDirectory(path);
            if (Path.Exists(path)) return false;
            Directory.CreateDirectory(path);
            return true;
        }
        if (LibC.MkDir(path, (uint)mode) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == LibC.EEXIST) return false;
        throw Failure(errno);
    }

    /// <summary>
    /// Makes the renames and creations in <paramref name="directory"/> durable (fsync of the directory). A failure
    /// is reported: the new names might not survive a crash.
    /// </summary>
    public static void SyncDirectory(string directory)
    {
        // NTFS journals its metadata; a directory handle cannot be flushed there without administrator rights. The
        // renames themselves are written through instead (WindowsMove).
        if (OperatingSystem.IsWindows()) return;
        var fd = OpenDirectory(directory);
        if (fd < 0) throw Failure(Marshal.GetLastPInvokeError());
        try
        {
            // Like the runtime's own file flush: a file system that has no sync at all (EINVAL, EROFS) has nothing
            // to make durable. Any other error means the data may not be on the disk.
            if (LibC.FSync(fd) != 0 && Marshal.GetLastPInvokeError() is var errno && errno is not (LibC.EINVAL or LibC.EROFS))
            {
                throw Failure(errno);
            }
        }
        finally
        {
            LibC.Close(fd);
        }
    }

    /// <summary>
    /// Flushes the whole file system that holds <paramref name="directory"/> (syncfs(2): file data, sizes, names and
    /// renames alike), unless its device is already in <paramref name="synced"/>. Linux only. A directory that no
    /// longer exists is passed over (a failed export removed it: nothing of it is left to flush).
    /// </summary>
    public static void SyncFileSystem(string directory, HashSet<ulong> synced)
    {
        var fd = OpenDirectory(directory);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.ENOENT) return;
            throw new IOException($"cannot open {directory} to flush it (errno {errno})");
        }
        try
        {
            // Two directories on one file system need one syncfs; the device number tells them apart.
            if (LibC.DeviceOf(fd, out var device) == 0 && !synced.Add(device)) return;
            if (LibC.SyncFs(fd) != 0) throw new IOException($"syncfs failed on {directory} (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            LibC.Close(fd);
        }
    }

    /// <summary>A directory opened to be flushed; -1 (errno set) when it cannot be. O_RDONLY without O_DIRECTORY: that flag's value differs between x86-64 and arm64 (see LibC).</summary>
    static int OpenDirectory(string directory) => LibC.Open(directory, LibC.O_RDONLY | LibC.O_CLOEXEC);

    /// <summary>Renames <paramref name="source"/> over <paramref name="destination"/>; on Windows written through to the disk.</summary>
    public static void Replace(string source, string destination)
    {
        if (OperatingSystem.IsWindows()) WindowsMove.Replace(source, destination);
        else File.Move(source, destination, overwrite: true);
    }

    /// <summary>Mode 0600 or 0700: nothing for the group or others. On Windows that is the owner-only ACL.</summary>
    public static bool IsOwnerOnly(UnixFileMode mode) =>
        (mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                 UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) == 0;

    /// <summary>A full disk or an exhausted quota, recognised by its error number whatever the message says.</summary>
    public static bool IsDiskFull(Exception e) => e is IOException io && (OperatingSystem.IsWindows()
        ? io.HResult is unchecked((int)0x80070070) or unchecked((int)0x80070027) // ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL
        : io.HResult is LibC.ENOSPC or LibC.EDQUOT);

    /// <summary>Whether a process of that id is running (a zombie counts: it has not been reaped yet).</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return true; // cannot tell: keep the file
        }
    }

    /// <summary>The runtime's convention for a failed call: HResult is the error number, the message libc's text.</summary>
    static Exception Failure(int errno)
    {
        var text = Marshal.GetPInvokeErrorMessage(errno);
        var message = text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : $"error {errno}";
        return errno is LibC.EPERM or LibC.EACCES ? new UnauthorizedAccessException(message) : new IOException(message, errno);
    }
}
