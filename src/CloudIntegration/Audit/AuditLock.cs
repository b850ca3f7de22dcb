using System.Diagnostics;
using CloudIntegration.Errors;
using CloudIntegration.IO;

namespace CloudIntegration.Audit;

/// <summary>
/// An exclusive lock on <c>audit.lock</c>, held while the trail is read and extended so that two concurrent runs
/// never chain from the same last line. On Linux a FileStream opened with FileShare.None takes flock(LOCK_EX|LOCK_NB)
/// and throws while another process (or another stream in this one) holds it; we retry with a short random sleep.
/// The lock file is never deleted: removing it would let a late opener lock a different inode than an early one.
/// </summary>
public sealed class AuditLock : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    readonly FileStream _stream;

    AuditLock(FileStream stream) => _stream = stream;

    public static AuditLock Acquire(string path, TimeSpan timeout)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = AtomicFile.OwnerOnly;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new AuditLock(new FileStream(path, options));
            }
            catch (Exception e) when (e is DirectoryNotFoundException or UnauthorizedAccessException)
            {
                throw RuntimeErrors.AuditWriteFailed(path, ErrorText.Describe(e), e);
            }
            catch (IOException e) when (IsHeldElsewhere(e) && clock.Elapsed < timeout)
            {
                // Held by another run: appends take milliseconds, so a short wait is enough.
                Thread.Sleep(Random.Shared.Next(5, 25));
            }
            catch (IOException e) when (IsHeldElsewhere(e))
            {
                throw RuntimeErrors.AuditLocked(path, (int)timeout.TotalSeconds);
            }
            catch (IOException e)
            {
                throw RuntimeErrors.AuditWriteFailed(path, ErrorText.Describe(e), e);
            }
        }
    }

    /// <summary>EWOULDBLOCK from flock on Linux (11) and macOS (35); a sharing violation on Windows.</summary>
    static bool IsHeldElsewhere(IOException e) => e.HResult is 11 or 35 or unchecked((int)0x80070020);

    public void Dispose() => _stream.Dispose();
}
