using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CloudIntegration.Native.Posix;
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

    /// <summary>
    /// Like <see cref="Read"/>, for content that is not secret and may be large (the audit log): the buffer grows with
    /// what arrives instead of being allocated at the limit, and is neither pinned nor zeroed.
    /// </summary>
    public static byte[]? ReadPublic(string path, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (Directory.Exists(path)) throw new IOException("is a directory", EISDIR);
        using var stream = Open(path);
        // A regular file says its length: one that is too long is refused without reading it, and the buffer is
        // allocated once. A device or a pipe says 0 and is read up to the limit.
        var known = stream.CanSeek ? stream.Length : 0;
        if (known > maxBytes) return null;
        using var content = new MemoryStream((int)known);
        var chunk = new byte[(int)Math.Min((long)maxBytes + 1, 1 << 20)];
        var waited = Stopwatch.StartNew();
        while (content.Length <= maxBytes)
        {
            var read = ReadSome(stream, chunk, 0, (int)Math.Min(chunk.Length, (long)maxBytes + 1 - content.Length), waited);
            if (read == 0) return content.ToArray();
            content.Write(chunk, 0, read);
        }
        return null;
    }

    /// <summary>
    /// A small file this tool wrote itself (a key file), read with one open, reads and one close: no lock and no status
    /// call, because listing a world of 100,000 keys reads every one. Null when there is no such file; an
    /// <see cref="IOException"/> when it is larger than <paramref name="maxBytes"/> or cannot be read.
    /// </summary>
    public static byte[]? ReadOwnFile(string path, int maxBytes)
    {
        if (!OperatingSystem.IsLinux())
        {
            if (!File.Exists(path)) return null;
            var content = File.ReadAllBytes(path);
            return content.Length <= maxBytes ? content : throw TooLarge(maxBytes);
        }
        // Non-blocking, so that a FIFO in its place reads as empty instead of waiting for a writer.
        var fd = LibC.Open(path, LinuxNonBlock | LinuxCloseOnExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == ENOENT ? null : throw OpenError(errno, path);
        }
        try
        {
            Span<byte> small = stackalloc byte[4096];
            var buffer = small;
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes) throw TooLarge(maxBytes);
                    var larger = new byte[Math.Min(buffer.Length * 4, maxBytes + 1)];
                    buffer.CopyTo(larger);
                    buffer = larger;
                }
                var read = LibC.Read(fd, buffer[length..], buffer.Length - length);
                if (read < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == LibC.EINTR) continue;
                    throw new IOException(errno == EISDIR ? "is a directory" : "cannot be read", errno);
                }
                if (read == 0) return length <= maxBytes ? buffer[..length].ToArray() : throw TooLarge(maxBytes);
                length += (int)read;
            }
        }
        finally
        {
            LibC.Close(fd);
        }
    }

    static IOException TooLarge(int maxBytes) => new($"is larger than {maxBytes} bytes");

    public delegate void LineAction(ReadOnlySpan<byte> line);

    /// <summary>
    /// Gives each newline-terminated line of a public text file (the audit log) to <paramref name="onLine"/>, without
    /// its newline, reading a block at a time so that a large file is never held whole; an unterminated last line is
    /// not given. False when the file is longer than <paramref name="maxBytes"/> (lines may have been given by then).
    /// </summary>
    public static bool ReadLines(string path, int maxBytes, LineAction onLine)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (Directory.Exists(path)) throw new IOException("is a directory", EISDIR);
        using var stream = Open(path);
        if (stream.CanSeek && stream.Length > maxBytes) return false;
        var buffer = new byte[(int)Math.Min((long)maxBytes + 1, 1 << 20)];
        var filled = 0;
        long total = 0;
        var waited = Stopwatch.StartNew();
        while (true)
        {
            // A line longer than the buffer: the buffer grows to hold it.
            if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            var read = ReadSome(stream, buffer, filled, buffer.Length - filled, waited);
            if (read == 0) return true;
            total += read;
            if (total > maxBytes) return false;
            var block = buffer.AsSpan(0, filled + read);
            var start = 0;
            for (int newline; (newline = block[start..].IndexOf((byte)'\n')) >= 0; start += newline + 1)
            {
                onLine(block.Slice(start, newline));
            }
            block[start..].CopyTo(buffer);
            filled = block.Length - start;
        }
    }

    const int EISDIR = 21;

    static int ReadUpTo(FileStream stream, byte[] buffer)
    {
        var length = 0;
        var waited = Stopwatch.StartNew();
        while (length < buffer.Length)
        {
            var read = ReadSome(stream, buffer, length, buffer.Length - length, waited);
            if (read == 0) break;
            length += read;
        }
        return length;
    }

    /// <summary>One read; 0 at the end. A pipe whose writer has not written yet (the file is non-blocking) is waited for.</summary>
    static int ReadSome(FileStream stream, byte[] buffer, int offset, int count, Stopwatch waited)
    {
        while (true)
        {
            try
            {
                return stream.Read(buffer, offset, count);
            }
            catch (IOException e) when (IsWouldBlock(e.HResult))
            {
                if (waited.Elapsed > PipeTimeout) throw new IOException("nothing arrived", e.HResult);
                Thread.Sleep(10);
            }
        }
    }

    static bool IsWouldBlock(int errno) => OperatingSystem.IsMacOS() ? errno == 35 : errno == 11;

    static FileStream Open(string path)
    {
        if (OperatingSystem.IsWindows()) return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        // Non-blocking, so opening a FIFO that no one writes to returns at once instead of waiting for a writer.
        var flags = OperatingSystem.IsMacOS() ? MacNonBlock | MacCloseOnExec : LinuxNonBlock | LinuxCloseOnExec;
        var fd = LibC.Open(path, flags);
        if (fd < 0) throw OpenError(Marshal.GetLastPInvokeError(), path);
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, 1);
    }

    static Exception OpenError(int errno, string path) => errno switch
    {
        ENOENT => new FileNotFoundException("not found", path),
        EACCES or EPERM => new UnauthorizedAccessException("permission denied"),
        _ => new IOException("cannot be opened", errno),
    };

    const int EPERM = 1, ENOENT = 2, EACCES = 13;
    // The generic Linux values (x86-64, arm64) and macOS's.
    const int LinuxNonBlock = 0x800, LinuxCloseOnExec = 0x80000, MacNonBlock = 0x4, MacCloseOnExec = 0x1000000;
}
