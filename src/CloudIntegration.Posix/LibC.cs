using System.Runtime.InteropServices;

namespace CloudIntegration.Native.Posix;

/// <summary>
/// libc on Linux. Every call returns -1 and sets errno on failure (read it with
/// <see cref="Marshal.GetLastPInvokeError"/>). The constants are Linux's, and the same on x86-64 and arm64, the
/// architectures the build supports (they differ only on alpha, parisc and sparc). Flags that do differ between
/// architectures, such as O_DIRECTORY (O_DIRECT on arm64), are deliberately not used: a directory opens with O_RDONLY.
/// </summary>
public static partial class LibC
{
    public const int O_RDONLY = 0;
    public const int O_CLOEXEC = 0x80000;

    public const int AT_FDCWD = -100;
    public const uint RENAME_NOREPLACE = 1;

    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EACCES = 13;
    public const int EEXIST = 17;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int EROFS = 30;
    public const int ENOSYS = 38;
    public const int EOPNOTSUPP = 95;
    public const int EDQUOT = 122;

    /// <summary>open(2) without O_CREAT. The caller chooses the flags; BoundedFile passes macOS's values on macOS, where this same call works.</summary>
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    /// <summary>read(2) into <paramref name="buffer"/>: the count read, 0 at the end, -1 on an error.</summary>
    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, Span<byte> buffer, nint count);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    /// <summary>Renames; with <see cref="RENAME_NOREPLACE"/> it fails with EEXIST, atomically, when the new name exists.</summary>
    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    /// <summary>A second name for a file; fails with EEXIST, atomically, when the new name exists.</summary>
    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Link(string existingPath, string newPath);

    /// <summary>Flushes the whole file system that holds <paramref name="fd"/>: one call covers many files.</summary>
    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    public static partial int SyncFs(int fd);

    /// <summary>
    /// The device an open file lives on. statx's layout is the same on every Linux architecture (unlike struct stat):
    /// stx_dev_major at offset 136, stx_dev_minor at 140 of its 256 bytes.
    /// </summary>
    public static int DeviceOf(int fd, out ulong device)
    {
        Span<byte> buffer = stackalloc byte[256];
        const int AT_EMPTY_PATH = 0x1000;
        const uint STATX_BASIC_STATS = 0x7ff;
        var result = Statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, buffer);
        device = result == 0
            ? ((ulong)BitConverter.ToUInt32(buffer[136..]) << 32) | BitConverter.ToUInt32(buffer[140..])
            : 0;
        return result;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, Span<byte> buffer);

    /// <summary>Creates one directory; fails with EEXIST when the name exists.</summary>
    [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MkDir(string path, uint mode);
}
