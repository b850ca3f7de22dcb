using System.Runtime.Versioning;

namespace CloudIntegration.IO;

/// <summary>
/// A host-wide lock on Windows: a named mutex in the Global\ namespace, so runs in every session and of every user on
/// the machine exclude one another (a lock file under %TEMP% would be per user). Windows releases a mutex whose owner
/// dies, and the next waiter gets it (as AbandonedMutexException, which is an acquisition).
/// </summary>
[SupportedOSPlatform("windows")]
sealed class WindowsNamedLock : IDisposable
{
    readonly Mutex _mutex;

    WindowsNamedLock(Mutex mutex) => _mutex = mutex;

    /// <summary>The lock called <paramref name="name"/> (letters, digits, '-' and '_'), or null after <paramref name="patience"/>.</summary>
    public static WindowsNamedLock? TryAcquire(string name, TimeSpan patience)
    {
        var mutex = new Mutex(initiallyOwned: false, $@"Global\{name}");
        try
        {
            if (mutex.WaitOne(patience)) return new WindowsNamedLock(mutex);
        }
        catch (AbandonedMutexException)
        {
            return new WindowsNamedLock(mutex);
        }
        mutex.Dispose();
        return null;
    }

    public void Dispose()
    {
        _mutex.ReleaseMutex();
        _mutex.Dispose();
    }
}
