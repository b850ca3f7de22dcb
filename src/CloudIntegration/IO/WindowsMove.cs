using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace CloudIntegration.IO;

/// <summary>
/// The rename that makes a staged file final on Windows, durably: MoveFileEx with MOVEFILE_WRITE_THROUGH returns only
/// once the rename is on the disk, which is what the directory fsync does on Unix (Windows has no directory handle to
/// flush). The staged file's content was already flushed with FlushFileBuffers (FileStream.Flush(true)).
/// </summary>
[SupportedOSPlatform("windows")]
static class WindowsMove
{
    const uint MOVEFILE_REPLACE_EXISTING = 0x1;
    const uint MOVEFILE_WRITE_THROUGH = 0x8;
    const int ERROR_FILE_EXISTS = 80;
    const int ERROR_ALREADY_EXISTS = 183;

    /// <summary>Renames <paramref name="temp"/> over <paramref name="path"/>, replacing any file there.</summary>
    public static void Replace(string temp, string path) => Move(temp, path, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH);

    /// <summary>
    /// Renames <paramref name="temp"/> to <paramref name="path"/> only if no file has that name (the rename fails
    /// atomically if one does); false then.
    /// </summary>
    public static bool TryCreate(string temp, string path)
    {
        if (MoveFileExW(temp, path, MOVEFILE_WRITE_THROUGH)) return true;
        var error = Marshal.GetLastPInvokeError();
        if (error is ERROR_ALREADY_EXISTS or ERROR_FILE_EXISTS) return false;
        throw Failure(error, path);
    }

    static void Move(string temp, string path, uint flags)
    {
        if (!MoveFileExW(temp, path, flags)) throw Failure(Marshal.GetLastPInvokeError(), path);
    }

    /// <summary>The Win32 error as the IOException File.Move would have thrown (so callers' catch clauses still apply).</summary>
    static Exception Failure(int error, string path)
    {
        var message = $"{new Win32Exception(error).Message.TrimEnd('.')}: '{path}'";
        return error == 5 ? new UnauthorizedAccessException(message) : new IOException(message, error);
    }

    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true, ExactSpelling = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    static extern bool MoveFileExW(string existingFileName, string newFileName, uint flags);
}
