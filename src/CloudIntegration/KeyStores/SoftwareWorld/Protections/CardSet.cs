using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CloudIntegration.Errors;
using CloudIntegration.IO;
using CloudIntegration.Keys;

namespace CloudIntegration.KeyStores.SoftwareWorld.Protections;

/// <summary>
/// The world's public description of an operator card set, <c>cardsets/NAME.cardset</c> (0600):
/// <code>
/// cloud_integration_tool cardset v2
/// {"name":...,"id":...,"created":...,"quorum":K,"cards":N,"check":hex}
/// sha256:hex(SHA-256 of lines 1-2, newlines included)
/// </code>
/// The card set key (32 random bytes) exists only while a set is created or opened; it is split among the N cards with
/// <see cref="Shamir"/>. <c>check</c> is HMAC-SHA256(card set key, "cloud_integration_tool cardset check v2\nNAME\nID\nCREATED\nK\nN")
/// with CREATED exactly as the file spells it: it tells whether the cards presented rebuilt the right key, binds every
/// other field to it (change one and the set no longer opens), and reveals nothing about the key. The checksum line
/// only tells accidental damage apart from a wrong card; anyone can recompute it. Sets written before v2 (magic
/// "... cardset v1") are still read: their check leaves out CREATED, so their creation time is informational.
/// The keys a set protects are sealed under HKDF(world key, salt = card set key).
/// </summary>
public sealed class CardSet
{
    public const string Magic = "cloud_integration_tool cardset v2";
    /// <summary>The format before the creation time was bound to the check; read, never written.</summary>
    public const string MagicV1 = "cloud_integration_tool cardset v1";
    public const string Extension = ".cardset";
    public const int MaxCards = 64;
    const string ChecksumPrefix = "sha256:";

    CardSet(string name, string id, DateTimeOffset created, int quorum, int count, byte[] check, string path, bool createdIsChecked = true)
    {
        CreatedIsChecked = createdIsChecked;
        Name = name;
        Id = id;
        Created = created;
        Quorum = quorum;
        Count = count;
        _check = check;
        FilePath = path;
    }

    readonly byte[] _check;

    public string Name { get; }
    public string Id { get; }
    public DateTimeOffset Created { get; }
    /// <summary>False for a v1 set, whose check does not cover its creation time.</summary>
    public bool CreatedIsChecked { get; }
    /// <summary>K: how many cards open the set.</summary>
    public int Quorum { get; }
    /// <summary>N: how many cards there are.</summary>
    public int Count { get; }
    public string FilePath { get; }

    public static string DirectoryOf(string worldRoot) => Path.Combine(worldRoot, "cardsets");

    public static string PathFor(string worldRoot, string name) => Path.Combine(DirectoryOf(worldRoot), name + Extension);

    /// <summary>
    /// Creates card set <paramref name="name"/>: a fresh key split into <paramref name="count"/> cards, card i written
    /// to <paramref name="cardPaths"/>[i-1] under the passphrase <paramref name="passphraseFor"/>(i) returns (which this
    /// method zeroes). The description is written last, so a set that exists has all its cards; on any failure the
    /// cards already written are removed.
    /// </summary>
    public static CardSet Create(string worldRoot, string name, int quorum, int count, IReadOnlyList<string> cardPaths,
                                 Func<int, byte[]> passphraseFor, Action<string> written)
    {
        if (!KeyName.IsValid(name) || quorum < 1 || quorum > count || count > MaxCards || cardPaths.Count != count)
        {
            throw new ArgumentException("invalid card set parameters");
        }
        var path = PathFor(worldRoot, name);
        if (File.Exists(path)) throw RuntimeErrors.CardSetExists(name, path);
        foreach (var cardPath in cardPaths)
        {
            if (File.Exists(cardPath)) throw RuntimeErrors.CardFileExists(cardPath);
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        // Whole seconds, as the file spells it, so the check covers exactly what is stored.
        var created = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var key = GC.AllocateArray<byte>(PassphraseSealedFile.SecretBytes, pinned: true);
        Share[] shares = [];
        var placed = new List<string>();
        try
        {
            RandomNumberGenerator.Fill(key);
            var set = new CardSet(name, id, created, quorum, count, [], path);
            set = new CardSet(name, id, created, quorum, count, set.CheckValue(key), path);
            shares = Shamir.Split(key, quorum, count);
            for (var i = 0; i < count; i++)
            {
                var passphrase = passphraseFor(i + 1);
                byte[] file;
                try
                {
                    file = Card.Create(set, shares[i], passphrase);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(passphrase);
                }
                CryptographicOperations.ZeroMemory(shares[i].Y);
                Store(cardPaths[i], file, RuntimeErrors.CardFileExists(cardPaths[i]));
                placed.Add(cardPaths[i]);
                written(cardPaths[i]);
            }
            AtomicFile.CreatePrivateDirectory(DirectoryOf(worldRoot));
            Store(path, set.Encode(), RuntimeErrors.CardSetExists(name, path));
            placed.Clear();
            return set;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RuntimeErrors.StorageFailed(path, ErrorText.Describe(e), e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            foreach (var share in shares) CryptographicOperations.ZeroMemory(share.Y);
            foreach (var card in placed) AtomicFile.TryDelete(card);
        }
    }

    static void Store(string path, byte[] content, ToolError ifExists)
    {
        try
        {
            if (!AtomicFile.TryCreate(path, content, AtomicFile.OwnerOnly)) throw ifExists;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RuntimeErrors.StorageFailed(path, ErrorText.Describe(e), e);
        }
    }

    /// <summary>The set of that name, or null when there is none. Throws when its description is damaged.</summary>
    public static CardSet? Load(string worldRoot, string name)
    {
        var path = PathFor(worldRoot, name);
        string text;
        try
        {
            if (!File.Exists(path)) return null;
            text = Encoding.ASCII.GetString(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RuntimeErrors.CardSetDamaged(name, path, $"it cannot be read ({ErrorText.Describe(e)})");
        }
        var lines = text.Split('\n');
        if (lines.Length != 4 || lines[0] is not (Magic or MagicV1) || lines[3].Length != 0 || !lines[2].StartsWith(ChecksumPrefix, StringComparison.Ordinal))
        {
            throw RuntimeErrors.CardSetDamaged(name, path, "it is not a card set description of this tool");
        }
        if (lines[2][ChecksumPrefix.Length..] != Checksum(lines[0] + "\n" + lines[1] + "\n"))
        {
            throw RuntimeErrors.CardSetDamaged(name, path, "its checksum does not match (the file was changed or corrupted)");
        }
        try
        {
            using var json = JsonDocument.Parse(lines[1]);
            var root = json.RootElement;
            var quorum = root.GetProperty("quorum").GetInt32();
            var count = root.GetProperty("cards").GetInt32();
            var check = Convert.FromHexString(root.GetProperty("check").GetString()!);
            if (root.GetProperty("name").GetString() != name || quorum < 1 || quorum > count || count > MaxCards || check.Length != 32)
            {
                throw new FormatException("inconsistent");
            }
            var created = DateTimeOffset.ParseExact(root.GetProperty("created").GetString()!, TextFormats.Timestamp, CultureInfo.InvariantCulture,
                                                    DateTimeStyles.AssumeUniversal);
            return new CardSet(name, root.GetProperty("id").GetString()!, created, quorum, count, check, path, createdIsChecked: lines[0] == Magic);
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw RuntimeErrors.CardSetDamaged(name, path, "its header is incomplete or does not name this card set");
        }
    }

    /// <summary>Every card set in the world, by name; a damaged description is reported through <paramref name="damaged"/>.</summary>
    public static IReadOnlyList<CardSet> LoadAll(string worldRoot, Action<ToolError> damaged) =>
        NamedFiles.LoadAll(DirectoryOf(worldRoot), Extension, name => Load(worldRoot, name), damaged);

    /// <summary>Whether <paramref name="key"/> is this set's key (constant time).</summary>
    public bool Verifies(ReadOnlySpan<byte> key)
    {
        var check = CheckValue(key);
        return CryptographicOperations.FixedTimeEquals(check, _check);
    }

    byte[] CheckValue(ReadOnlySpan<byte> key) =>
        HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(CreatedIsChecked
            ? string.Create(CultureInfo.InvariantCulture, $"cloud_integration_tool cardset check v2\n{Name}\n{Id}\n{CreatedText}\n{Quorum}\n{Count}")
            : string.Create(CultureInfo.InvariantCulture, $"cloud_integration_tool cardset check v1\n{Name}\n{Id}\n{Quorum}\n{Count}")));

    /// <summary>The creation time as the file spells it; the parse is exact, so this is the file's text.</summary>
    string CreatedText => TextFormats.Utc(Created);

    byte[] Encode()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("name", Name);
            json.WriteString("id", Id);
            json.WriteString("created", CreatedText);
            json.WriteNumber("quorum", Quorum);
            json.WriteNumber("cards", Count);
            json.WriteString("check", Convert.ToHexStringLower(_check));
            json.WriteEndObject();
        }
        var body = Magic + "\n" + Encoding.ASCII.GetString(buffer.ToArray()) + "\n";
        return Encoding.ASCII.GetBytes(body + ChecksumPrefix + Checksum(body) + "\n");
    }

    static string Checksum(string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(body)));
}
