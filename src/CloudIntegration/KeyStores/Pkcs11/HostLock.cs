using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using CloudIntegration.Errors;
using CloudIntegration.IO;

namespace CloudIntegration.KeyStores.Pkcs11;

/// <summary>
/// Serialises "find, else generate" of one key name on one token among processes on this host. PKCS#11 has no
/// create-if-absent, so two exports of a new name could otherwise both generate. The lock is an advisory lock on a
/// file named after the token serial and key name (in XDG_RUNTIME_DIR, else the temp directory), on Windows a global
/// named mutex of the same name (<see cref="WindowsNamedLock"/>). Processes on other
/// hosts sharing a network HSM are not covered; for them the store's after-the-fact check keeps the oldest key.
/// </summary>
sealed class HostLock : IDisposable
{
    static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    readonly IDisposable? _held;

    HostLock(IDisposable? held) => _held = held;

    public static HostLock Acquire(string tokenSerial, string keyName)
    {
        var directory = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime && Directory.Exists(runtime)
            ? runtime
            : Path.GetTempPath();
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tokenSerial + "\n" + keyName)))[..24];
        var path = Path.Combine(directory, $"cloud_integration_tool-{digest}.lock");
        if (OperatingSystem.IsWindows()) return AcquireOnWindows($"cloud_integration_tool-{digest}", keyName);
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock on Unix: released by the kernel even if this process dies.
                return new HostLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (UnauthorizedAccessException)
            {
                // Someone else's file of that name: go on without the lock rather than fail the ceremony.
                return new HostLock(null);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
            catch (IOException)
            {
                throw Held(keyName, path);
            }
        }
    }

    [SupportedOSPlatform("windows")]
    static HostLock AcquireOnWindows(string name, string keyName)
    {
        try
        {
            return new HostLock(WindowsNamedLock.TryAcquire(name, Patience) ?? throw Held(keyName, $@"the lock Global\{name}"));
        }
        catch (UnauthorizedAccessException)
        {
            // Another user's mutex of that name: go on without the lock, as with another user's lock file.
            return new HostLock(null);
        }
    }

    static RuntimeError Held(string keyName, string what) =>
        RuntimeErrors.Runtime($"another export of key '{keyName}' on this token has held {what} for {Patience.TotalMinutes} minutes; wait for it to finish");

    public void Dispose() => _held?.Dispose();
}
