using CloudIntegration.Errors;

namespace CloudIntegration.KeyStores.SoftwareWorld;

/// <summary>
/// The embedded world as one command uses it: its directory opened (created on first use) once and its world key read
/// once, whichever of the key store and the audit trail asks first, so a command checks the directory's permissions
/// and says what it created once. <see cref="Dispose"/> zeroes the world key.
/// </summary>
public sealed class WorldSession(string root, Diagnostics diagnostics) : IDisposable
{
    WorldDirectory? _directory;
    WorldKey? _key;

    public string Root { get; } = root;

    public WorldDirectory Directory => _directory ??= WorldDirectory.OpenOrCreate(Root, diagnostics);

    internal WorldKey Key => _key ??= WorldKey.LoadOrCreate(Directory.WorldKeyPath, diagnostics);

    /// <summary>The world key for purposes outside the store (the audit seal), loaded or created on first use.</summary>
    public IKeyDerivation KeyDerivation => Key;

    public void Dispose() => _key?.Dispose();
}
