using CloudIntegration.Keys;
using CloudIntegration.Wrapping;

namespace CloudIntegration.KeyStores;

/// <summary>
/// A protected key store: the embedded software Security World or a PKCS#11 token. It generates keys, keeps them, and
/// wraps them for a provider. It is the only place that ever holds key plaintext; callers get ciphertext.
/// </summary>
public interface IKeyStore : IDisposable
{
    /// <summary>Which store and module, for messages and the Azure "generator" field.</summary>
    string Description { get; }

    /// <summary>The key of that name, or null when there is none. Throws when one exists but is unusable.</summary>
    KeyRecord? Find(KeyName name);

    /// <summary>All keys this tool created in the store.</summary>
    IReadOnlyList<KeyRecord> List();

    /// <summary>
    /// All keys this tool created in the store that can be read; each key that cannot (a damaged file) is reported
    /// through <paramref name="unusable"/> and the listing goes on, so one bad key does not hide the others.
    /// </summary>
    IReadOnlyList<KeyRecord> List(Action<string, Errors.ToolError> unusable) => List();

    /// <summary>
    /// Generates a key of that name unless one exists. When another process creates it first, the existing key is
    /// returned with <c>Created</c> false; the caller checks that it fits.
    /// </summary>
    (KeyRecord Key, bool Created) GetOrGenerate(KeyName name, KeyType type, Protection protection);

    /// <summary>Wraps the key as the request says. The protection of the key is unlocked here if it needs to be.</summary>
    WrappedKey Wrap(KeyRecord key, WrapRequest request);

    /// <summary>Removes the key so it can never be exported again.</summary>
    void Destroy(KeyRecord key);
}

/// <summary>
/// Public facts about a stored key: no secret. <c>PublicKey</c> is the SubjectPublicKeyInfo of an RSA or EC key;
/// <c>CheckValue</c> the AES key check value (first 3 bytes of AES-ECB of a zero block), both made when the key was.
/// </summary>
public sealed record KeyRecord(
    KeyName Name,
    KeyType Type,
    Protection Protection,
    string Id,
    DateTimeOffset Created,
    byte[]? PublicKey,
    byte[]? CheckValue,
    string Location)
{
    public string Fingerprint => PublicKey is null ? "" : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(PublicKey));
}
