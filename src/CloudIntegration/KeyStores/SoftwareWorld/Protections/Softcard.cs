using System.Globalization;
using System.Security.Cryptography;
using CloudIntegration.Errors;
using CloudIntegration.IO;
using CloudIntegration.Keys;

namespace CloudIntegration.KeyStores.SoftwareWorld.Protections;

/// <summary>
/// A softcard: a random 32-byte softcard secret kept in the world as <c>softcards/NAME.softcard</c> (0600), sealed
/// under its passphrase (<see cref="PassphraseSealedFile"/>; header <c>{"name","id","created",kdf...}</c>). The keys it
/// protects are sealed under HKDF(world key, salt = softcard secret), so opening one needs the world key file and the
/// passphrase together. Changing the passphrase re-seals only the softcard secret; no key file changes.
/// </summary>
public sealed class Softcard
{
    public const string Magic = "cloud_integration_tool softcard v1";
    public const string Extension = ".softcard";

    Softcard(string name, string id, DateTimeOffset created, string path, PassphraseSealedFile file)
    {
        Name = name;
        Id = id;
        Created = created;
        FilePath = path;
        _file = file;
    }

    readonly PassphraseSealedFile _file;

    public string Name { get; }
    public string Id { get; }
    public DateTimeOffset Created { get; }
    public string FilePath { get; }

    public static string DirectoryOf(string worldRoot) => Path.Combine(worldRoot, "softcards");

    public static string PathFor(string worldRoot, string name) => Path.Combine(DirectoryOf(worldRoot), name + Extension);

    /// <summary>Creates softcard <paramref name="name"/> with a fresh secret, or fails if one of that name exists.</summary>
    public static Softcard Create(string worldRoot, string name, ReadOnlySpan<byte> passphrase)
    {
        if (!KeyName.IsValid(name)) throw new ArgumentException("invalid softcard name", nameof(name));
        var path = PathFor(worldRoot, name);
        if (File.Exists(path)) throw RuntimeErrors.SoftcardExists(name, path);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var created = DateTimeOffset.UtcNow;
        var secret = GC.AllocateArray<byte>(PassphraseSealedFile.SecretBytes, pinned: true);
        try
        {
            RandomNumberGenerator.Fill(secret);
            var file = Seal(name, id, created, passphrase, secret);
            try
            {
                AtomicFile.CreatePrivateDirectory(DirectoryOf(worldRoot));
                if (!AtomicFile.TryCreate(path, file, AtomicFile.OwnerOnly)) throw RuntimeErrors.SoftcardExists(name, path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw RuntimeErrors.StorageFailed(path, ErrorText.Describe(e), e);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
        return Load(worldRoot, name) ?? throw RuntimeErrors.SoftcardNotFound(name, path);
    }

    /// <summary>The softcard of that name, or null when there is none. Throws when its file is damaged.</summary>
    public static Softcard? Load(string worldRoot, string name)
    {
        var path = PathFor(worldRoot, name);
        byte[]? bytes;
        string problem;
        try
        {
            if (!File.Exists(path)) return null;
            bytes = PassphraseSealedFile.ReadBounded(path, out problem);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RuntimeErrors.SoftcardDamaged(name, path, $"it cannot be read ({ErrorText.Describe(e)})");
        }
        if (bytes is null) throw RuntimeErrors.SoftcardDamaged(name, path, problem);
        if (PassphraseSealedFile.TryParse(bytes, Magic, out var file, out problem) != PassphraseSealedFile.ParseResult.Ok)
        {
            throw RuntimeErrors.SoftcardDamaged(name, path, problem);
        }
        var id = file!.Text("id");
        var createdText = file.Text("created");
        if (file.Text("name") is not { } stored || stored != name || id is null || createdText is null ||
            !DateTimeOffset.TryParse(createdText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created))
        {
            throw RuntimeErrors.SoftcardDamaged(name, path, "its header does not name this softcard (was the file renamed or edited?)");
        }
        return new Softcard(name, id, created, path, file);
    }

    /// <summary>Every softcard in the world, by name; a damaged file is reported through <paramref name="damaged"/>.</summary>
    public static IReadOnlyList<Softcard> LoadAll(string worldRoot, Action<ToolError> damaged) =>
        NamedFiles.LoadAll(DirectoryOf(worldRoot), Extension, name => Load(worldRoot, name), damaged);

    /// <summary>
    /// The softcard secret, pinned (the caller zeroes it). A wrong passphrase throws after the full key derivation
    /// and changes nothing.
    /// </summary>
    public byte[] Open(ReadOnlySpan<byte> passphrase)
    {
        var secret = GC.AllocateArray<byte>(PassphraseSealedFile.SecretBytes, pinned: true);
        if (!_file.TryOpen(passphrase, secret)) throw RuntimeErrors.WrongSoftcardPassphrase(Name);
        return secret;
    }

    /// <summary>
    /// Re-seals the same softcard secret (same identifier) under a new passphrase and a new salt. The old passphrase
    /// is checked before <paramref name="readNewPassphrase"/> is asked (its result is zeroed here).
    /// </summary>
    public void ChangePassphrase(ReadOnlySpan<byte> oldPassphrase, Func<byte[]> readNewPassphrase)
    {
        var secret = Open(oldPassphrase);
        try
        {
            var newPassphrase = readNewPassphrase();
            byte[] file;
            try
            {
                file = Seal(Name, Id, Created, newPassphrase, secret);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(newPassphrase);
            }
            try
            {
                AtomicFile.Write(FilePath, file, AtomicFile.OwnerOnly);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw RuntimeErrors.StorageFailed(FilePath, ErrorText.Describe(e), e);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    static byte[] Seal(string name, string id, DateTimeOffset created, ReadOnlySpan<byte> passphrase, ReadOnlySpan<byte> secret) =>
        PassphraseSealedFile.Create(Magic, json =>
        {
            json.WriteString("name", name);
            json.WriteString("id", id);
            json.WriteString("created", TextFormats.Utc(created));
        }, passphrase, secret);
}
