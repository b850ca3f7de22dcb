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

    /// <summary>Creates one directory; fails with EEXIST when the name exists.</summary>
    [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MkDir(string path, uint mode);
}
