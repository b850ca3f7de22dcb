using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace CloudIntegration.IO;

/// <summary>
/// Reads a file the user named (a wrapping key, a PIN or passphrase file, a card) without trusting what the path is:
/// at most a limit is read, whatever the reported length (a device such as /dev/zero has none, and a pipe never ends);
/// a FIFO is opened without waiting for a writer, and a pipe that delivers nothing is given up after a while.
/// </summary>
public static class BoundedFile
{
    /// <summary>How long a pipe may keep the tool waiting for its content.</summary>
    public static readonly TimeSpan PipeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The whole content when it is at most <paramref name="maxBytes"/>, in a pinned array (the caller may zero it);
    /// null when there is more. Throws <see cref="FileNotFoundException"/>, <see cref="UnauthorizedAccessException"/> or
    /// an <see cref="IOException"/> carrying the error number when the file cannot be opened or read, so
    /// <c>ErrorText.Describe</c> can say why.
    /// </summary>
    public static byte[]? Read(string path, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (Directory.Exists(path)) throw new IOException("is a directory", EISDIR);
        using var stream = Open(path);
        var buffer = GC.AllocateArray<byte>(maxBytes + 1, pinned: true);
        try
        {
            var length = ReadUpTo(stream, buffer);
            if (length > maxBytes) return null;
            var content = GC.AllocateArray<byte>(length, pinned: true);
            buffer.AsSpan(0, length).CopyTo(content);
            return content;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    const int EISDIR = 21;

    static int ReadUpTo(FileStream stream, byte[] buffer)
    {
        var length = 0;
        var waited = Stopwatch.StartNew();
        while (length < buffer.Length)
        {
            int read;
            try
            {
                read = stream.Read(buffer, length, buffer.Length - length);
            }
            catch (IOException e) when (IsWouldBlock(e.HResult))
            {
                // A pipe whose writer has not written yet (the file was opened non-blocking).
                if (waited.Elapsed > PipeTimeout) throw new IOException("nothing arrived", e.HResult);
                Thread.Sleep(10);
                continue;
            }
            if (read == 0) break;
            length += read;
        }
        return length;
    }

    static bool IsWouldBlock(int errno) => OperatingSystem.IsMacOS() ? errno == 35 : errno == 11;

    static FileStream Open(string path)
    {
        if (OperatingSystem.IsWindows()) return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        // Non-blocking, so opening a FIFO that no one writes to returns at once instead of waiting for a writer.
        var flags = OperatingSystem.IsMacOS() ? MacNonBlock | MacCloseOnExec : LinuxNonBlock | LinuxCloseOnExec;
        var fd = Native.open(path, flags);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                ENOENT => new FileNotFoundException("not found", path),
                EACCES or EPERM => new UnauthorizedAccessException("permission denied"),
                _ => new IOException("cannot be opened", errno),
            };
        }
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, 1);
    }

    const int EPERM = 1, ENOENT = 2, EACCES = 13;
    // The generic Linux values (x86-64, arm64) and macOS's.
    const int LinuxNonBlock = 0x800, LinuxCloseOnExec = 0x80000, MacNonBlock = 0x4, MacCloseOnExec = 0x1000000;

    static class Native
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
    }
}
