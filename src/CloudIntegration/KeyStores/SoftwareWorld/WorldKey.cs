using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using CloudIntegration.Errors;
using CloudIntegration.IO;

namespace CloudIntegration.KeyStores.SoftwareWorld;

/// <summary>
/// The module key of the embedded world: 32 random bytes in <c>world.key</c> (0600), with a magic and a check so a
/// damaged file is recognised. Keys are sealed under keys derived from it, never under it directly.
/// </summary>
sealed class WorldKey : IKeyDerivation
{
    static readonly byte[] Magic = "CITWORLD\u0001"u8.ToArray();
    const int KeyBytes = 32;
    const int CheckBytes = 16;

    readonly byte[] _key;

    WorldKey(byte[] key) => _key = key;

    public static WorldKey LoadOrCreate(string path, Diagnostics diagnostics)
    {
        if (!File.Exists(path))
        {
            var fresh = GC.AllocateArray<byte>(KeyBytes, pinned: true);
            RandomNumberGenerator.Fill(fresh);
            var file = Encode(fresh);
            try
            {
                if (AtomicFile.TryCreate(path, file, AtomicFile.OwnerOnly))
                {
                    diagnostics.Note($"generated the world key {path}");
                    return new WorldKey(fresh);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw RuntimeErrors.StorageFailed(path, ErrorText.Describe(e), e);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(file);
            }
            CryptographicOperations.ZeroMemory(fresh); // another process created it first: use theirs
        }
        return Load(path);
    }

    internal static WorldKey Load(string path)
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RuntimeErrors.WorldKeyDamaged(path, ErrorText.Describe(e));
        }
        try
        {
            if (file.Length != Magic.Length + KeyBytes + CheckBytes || !file.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            {
                throw RuntimeErrors.WorldKeyDamaged(path, "it is not a world key file of this tool");
            }
            var body = file.AsSpan(0, Magic.Length + KeyBytes);
            Span<byte> check = stackalloc byte[32];
            SHA256.HashData(body, check);
            if (!CryptographicOperations.FixedTimeEquals(check[..CheckBytes], file.AsSpan(Magic.Length + KeyBytes)))
            {
                throw RuntimeErrors.WorldKeyDamaged(path, "its check value does not match (the file is corrupted)");
            }
            var key = GC.AllocateArray<byte>(KeyBytes, pinned: true);
            body[Magic.Length..].CopyTo(key);
            return new WorldKey(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(file);
        }
    }

    static byte[] Encode(byte[] key)
    {
        var file = new byte[Magic.Length + KeyBytes + CheckBytes];
        Magic.CopyTo(file, 0);
        key.CopyTo(file, Magic.Length);
        var check = SHA256.HashData(file.AsSpan(0, Magic.Length + KeyBytes));
        check.AsSpan(0, CheckBytes).CopyTo(file.AsSpan(Magic.Length + KeyBytes));
        return file;
    }

    /// <summary>
    /// A purpose-bound key: HKDF-SHA256 of the world key, salted with the protection secret (empty for module
    /// protection), so a softcard or card-set key needs both the world and the card.
    /// </summary>
    public byte[] Derive(string purpose, ReadOnlySpan<byte> protectionSecret)
    {
        var output = GC.AllocateArray<byte>(32, pinned: true);
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, output, protectionSecret, Encoding.UTF8.GetBytes(purpose));
        return output;
    }

    /// <summary>
    /// Every purpose the store derives its own keys for starts with this, and <see cref="DeriveKey"/> refuses it: a key
    /// handed to a layer above (<see cref="IKeyDerivation"/>) can never be a sealing or header key.
    /// </summary>
    public const string StorePurposePrefix = "cloud_integration_tool key ";

    /// <summary>A key for a purpose outside the store (the audit seal), with no protection secret.</summary>
    public byte[] DeriveKey(string purpose)
    {
        if (purpose.StartsWith(StorePurposePrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"the purpose '{purpose}' belongs to the key store itself", nameof(purpose));
        }
        return Derive(purpose, []);
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
