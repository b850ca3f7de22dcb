using System.IO.Enumeration;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using CloudIntegration.Errors;
using CloudIntegration.IO;
using CloudIntegration.Keys;
using CloudIntegration.Wrapping;

namespace CloudIntegration.KeyStores.SoftwareWorld;

/// <summary>
/// The embedded Security World: one module (number 1), keys sealed under the world key and, for softcard and card-set
/// keys, under their protection secret as well. Plaintext exists only inside <see cref="Wrap"/>, in pinned buffers
/// zeroed before it returns.
/// </summary>
public sealed class SoftwareWorld : IKeyStore
{
    public const int ModuleNumber = 1;
    const string SealingPurpose = WorldKey.StorePurposePrefix + "sealing v1";
    const string HeaderPurpose = WorldKey.StorePurposePrefix + "header v1";

    readonly WorldDirectory _directory;
    readonly WorldKey _worldKey;
    readonly byte[] _headerKey;
    readonly IProtectionUnlocker _unlocker;
    readonly Dictionary<string, byte[]> _sealingKeys = new(StringComparer.Ordinal);

    SoftwareWorld(WorldDirectory directory, WorldKey worldKey, IProtectionUnlocker unlocker)
    {
        _directory = directory;
        _worldKey = worldKey;
        _unlocker = unlocker;
        _headerKey = worldKey.Derive(HeaderPurpose, []);
    }

    /// <summary>
    /// The world's module <paramref name="module"/> (only 1 exists). The world directory and key come from
    /// <paramref name="world"/>, which the command shares with the audit trail so each is opened once per command.
    /// </summary>
    public static SoftwareWorld Open(WorldSession world, int module, IProtectionUnlocker unlocker)
    {
        if (module != ModuleNumber)
        {
            throw RuntimeErrors.ModuleNotFound(module, [$"{ModuleNumber} (embedded Security World at {world.Root})"]);
        }
        return new SoftwareWorld(world.Directory, world.Key, unlocker);
    }

    /// <summary>The world key of <paramref name="root"/> for purposes outside the store (verifying the audit seal), without creating anything; null when there is none.</summary>
    public static IKeyDerivation? OpenExistingKeyDerivation(string root) =>
        WorldDirectory.OpenExisting(root)?.WorldKeyPath is { } path && File.Exists(path) ? WorldKey.Load(path) : null;

    public string Root => _directory.Root;

    public string Description => $"embedded Security World, module {ModuleNumber}";

    public KeyRecord? Find(KeyName name)
    {
        var path = _directory.KeyPath(name);
        return TryReadKeyFile(name, path) is { } file ? Authenticate(name, path, file).Record : null;
    }

    public IReadOnlyList<KeyRecord> List() => List((_, error) => throw error);

    public IReadOnlyList<KeyRecord> List(Action<string, ToolError> unusable)
    {
        var records = new List<KeyRecord>();
        if (!Directory.Exists(_directory.KeysDirectory)) return records;
        // Earlier versions staged new key files in keys/ itself: the listing, which reads the directory anyway, sweeps
        // what a killed run of theirs left there.
        AtomicFile.RemoveAbandoned(_directory.KeysDirectory);
        var stems = new FileSystemEnumerable<string>(_directory.KeysDirectory, (ref entry) => entry.FileName[..^WorldDirectory.KeyExtension.Length].ToString())
        {
            // Anything named like a key file is listed, so one that is not a file is marked unusable rather than hidden.
            ShouldIncludePredicate = (ref entry) => entry.FileName.EndsWith(WorldDirectory.KeyExtension, StringComparison.Ordinal),
        }.ToArray();
        Array.Sort(stems, StringComparer.Ordinal);
        // Read on every core (each file is an open, a read and a parse; a world can hold 100,000), reported in order.
        var found = new (KeyRecord? Record, ToolError? Error)[stems.Length];
        try
        {
            Parallel.For(0, stems.Length, i =>
            {
                if (!KeyName.IsValid(stems[i])) return;
                try
                {
                    found[i] = (Find(KeyName.Parse(stems[i])), null);
                }
                catch (ToolError error)
                {
                    found[i] = (null, error);
                }
            });
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);   // as if read on this thread
        }
        for (var i = 0; i < stems.Length; i++)
        {
            if (found[i].Record is { } record) records.Add(record);
            else if (found[i].Error is { } error) unusable(stems[i], error);
        }
        return records;
    }

    public (KeyRecord Key, bool Created) GetOrGenerate(KeyName name, KeyType type, Protection protection)
    {
        if (Find(name) is { } existing) return (existing, false);

        var protectionSecret = _unlocker.Unlock(protection, name);
        byte[]? material = null;
        try
        {
            material = SoftwareKeyGenerator.Generate(type, out var publicKey, out var checkValue);
            var path = _directory.KeyPath(name);
            var record = new KeyRecord(name, type, protection, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
                                       DateTimeOffset.UtcNow, publicKey, checkValue, path);
            var header = KeyFile.Header(record);
            var sealingKey = SealingKey(protection, protectionSecret);
            var file = KeyFile.Seal(header, sealingKey, _headerKey, material);
            bool created;
            try
            {
                created = AtomicFile.TryCreate(path, file, AtomicFile.OwnerOnly, deferrable: true, stagingDirectory: _directory.StagingDirectory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw RuntimeErrors.StorageFailed(path, ErrorText.Describe(e), e);
            }
            if (created) return (record, true);
            // Another process created this key name first; its key is the key.
            return (Find(name) ?? throw RuntimeErrors.Runtime($"key '{name}' vanished while it was being created"), false);
        }
        finally
        {
            if (material is not null) CryptographicOperations.ZeroMemory(material);
            CryptographicOperations.ZeroMemory(protectionSecret);
        }
    }

    public WrappedKey Wrap(KeyRecord key, WrapRequest request)
    {
        var path = _directory.KeyPath(key.Name);
        var keyFile = Authenticate(key.Name, path, ReadKeyFile(key.Name, path));
        if (keyFile.Record.Id != key.Id) throw RuntimeErrors.Runtime($"key '{key.Name}' was replaced while it was being exported");

        var protectionSecret = _unlocker.Unlock(keyFile.Record.Protection, key.Name);
        var sealingKey = SealingKey(keyFile.Record.Protection, protectionSecret);
        var material = GC.AllocateArray<byte>(keyFile.MaterialLength, pinned: true);
        try
        {
            if (!keyFile.TryOpen(sealingKey, material)) throw RuntimeErrors.KeyTampered(key.Name.Value, path);
            var ciphertext = SoftwareConstructions.Apply(material, request);
            var digest = request.IncludeSha256Digest ? SHA256.HashData(material) : null;
            return new WrappedKey(ciphertext, digest);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
            CryptographicOperations.ZeroMemory(protectionSecret);
        }
    }

    public void Destroy(KeyRecord key)
    {
        var path = _directory.KeyPath(key.Name);
        try
        {
            AtomicFile.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RuntimeErrors.StorageFailed(path, ErrorText.Describe(e), e);
        }
    }

    static byte[] ReadKeyFile(KeyName name, string path) =>
        TryReadKeyFile(name, path) ?? throw RuntimeErrors.Runtime($"key '{name}' no longer exists in the world");

    /// <summary>The key file's bytes (from its temporary name while a ceremony chunk has not placed it); null when there is none.</summary>
    static byte[]? TryReadKeyFile(KeyName name, string path)
    {
        try
        {
            return BoundedFile.ReadOwnFile(AtomicFile.ReadablePath(path), KeyFile.MaxBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RuntimeErrors.Runtime($"key '{name}' cannot be read from {path}: {ErrorText.Describe(e)}");
        }
    }

    KeyFile Authenticate(KeyName name, string path, byte[] file)
    {
        var result = KeyFile.TryParse(file, path, out var keyFile);
        if (result == KeyFile.ParseResult.ForeignFormat)
        {
            throw RuntimeErrors.NotCreatedByThisTool(name.Value, $"{path} is not in this tool's key format");
        }
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (result == KeyFile.ParseResult.Damaged ||
            HMACSHA256.HashData(_headerKey, keyFile!.AuthenticatedHeader.Span, mac) != mac.Length ||
            !CryptographicOperations.FixedTimeEquals(mac, keyFile.HeaderMac) ||
            keyFile.Record.Name != name)
        {
            throw RuntimeErrors.KeyTampered(name.Value, path);
        }
        return keyFile;
    }

    /// <summary>
    /// The key that seals keys of <paramref name="protection"/>, derived once per protection for the life of this
    /// store (a ceremony seals and opens hundreds of keys under one protection; each derivation is an HKDF through
    /// OpenSSL). The protection's secret is still unlocked for every key, so a wrong one is refused as before. Zeroed
    /// by <see cref="Dispose"/>, with the header key.
    /// </summary>
    byte[] SealingKey(Protection protection, ReadOnlySpan<byte> protectionSecret)
    {
        var id = protection.Encode();
        if (!_sealingKeys.TryGetValue(id, out var key)) _sealingKeys[id] = key = _worldKey.Derive(SealingPurpose + "\n" + id, protectionSecret);
        return key;
    }

    public void Dispose()
    {
        // The world key belongs to the command's WorldSession, which zeroes it.
        CryptographicOperations.ZeroMemory(_headerKey);
        foreach (var key in _sealingKeys.Values) CryptographicOperations.ZeroMemory(key);
        (_unlocker as IDisposable)?.Dispose();
    }
}
