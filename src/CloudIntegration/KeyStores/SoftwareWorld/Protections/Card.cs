using CloudIntegration.Errors;
using System.Globalization;
using System.Security.Cryptography;

namespace CloudIntegration.KeyStores.SoftwareWorld.Protections;

/// <summary>
/// One operator card: a file <c>CARDSET-card-I-of-N.card</c> holding share I of the card set's key, sealed under the
/// card's own passphrase (<see cref="PassphraseSealedFile"/>). Its header names the card set, the set's identifier,
/// the card's index, the quorum K and the number of cards N; the header is the associated data of the sealed share,
/// so none of it can be changed without the passphrase, and a card of another set (even one with the same name) or a
/// copy of a card already presented is recognised before its passphrase is asked for.
/// </summary>
public sealed class Card
{
    public const string Magic = "cloud_integration_tool card v1";
    public const string Extension = ".card";

    Card(string path, string cardSet, string cardSetId, int index, int quorum, int count, PassphraseSealedFile file)
    {
        FilePath = path;
        CardSetName = cardSet;
        CardSetId = cardSetId;
        Index = index;
        Quorum = quorum;
        Count = count;
        _file = file;
    }

    readonly PassphraseSealedFile _file;

    public string FilePath { get; }
    public string CardSetName { get; }
    public string CardSetId { get; }
    /// <summary>1..N; also the x coordinate of the share.</summary>
    public int Index { get; }
    public int Quorum { get; }
    public int Count { get; }

    /// <summary>"card 2 of 3", as the operator would say it.</summary>
    public string Label => $"card {Index} of {Count}";

    public static string FileName(string cardSet, int index, int count) =>
        string.Create(CultureInfo.InvariantCulture, $"{cardSet}-card-{index}-of-{count}{Extension}");

    /// <summary>The file of card <paramref name="share"/>.X of <paramref name="set"/>, sealed under <paramref name="passphrase"/>.</summary>
    public static byte[] Create(CardSet set, Share share, ReadOnlySpan<byte> passphrase) =>
        PassphraseSealedFile.Create(Magic, json =>
        {
            json.WriteString("cardset", set.Name);
            json.WriteString("id", set.Id);
            json.WriteNumber("card", share.X);
            json.WriteNumber("quorum", set.Quorum);
            json.WriteNumber("cards", set.Count);
        }, passphrase, share.Y);

    /// <summary>Reads a card file; on failure <paramref name="problem"/> says why, for the operator.</summary>
    public static bool TryRead(string path, out Card? card, out string problem)
    {
        card = null;
        byte[]? bytes;
        try
        {
            bytes = PassphraseSealedFile.ReadBounded(path, out problem);
            if (bytes is null) return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"it cannot be read ({ErrorText.Describe(e)})";
            return false;
        }
        switch (PassphraseSealedFile.TryParse(bytes, Magic, out var file, out problem))
        {
            case PassphraseSealedFile.ParseResult.ForeignFormat:
                problem = "it is not a card file of this tool";
                return false;
            case PassphraseSealedFile.ParseResult.Damaged:
                problem = "it is damaged: " + problem;
                return false;
        }
        var name = file!.Text("cardset");
        var id = file.Text("id");
        var index = file.Number("card");
        var quorum = file.Number("quorum");
        var count = file.Number("cards");
        if (name is null || id is null || index is null || quorum is null || count is null ||
            count < 1 || count > CardSet.MaxCards || quorum < 1 || quorum > count || index < 1 || index > count)
        {
            problem = "it is damaged: its header is incomplete or inconsistent";
            return false;
        }
        card = new Card(path, name, id, index.Value, quorum.Value, count.Value, file);
        return true;
    }

    /// <summary>
    /// The share this card holds, pinned (the caller zeroes <c>Y</c>); null when the passphrase is wrong or the card
    /// was altered. Always costs the full key derivation.
    /// </summary>
    public Share? TryOpen(ReadOnlySpan<byte> passphrase)
    {
        var y = GC.AllocateArray<byte>(PassphraseSealedFile.SecretBytes, pinned: true);
        if (_file.TryOpen(passphrase, y)) return new Share((byte)Index, y);
        CryptographicOperations.ZeroMemory(y);
        return null;
    }

    /// <summary>
    /// This card's share re-sealed under a new passphrase and salt: the new file content. The share itself does not
    /// change. The old passphrase is checked before <paramref name="readNewPassphrase"/> is asked (its result is zeroed here).
    /// </summary>
    public byte[] Reseal(ReadOnlySpan<byte> oldPassphrase, Func<byte[]> readNewPassphrase, CardSet set)
    {
        if (TryOpen(oldPassphrase) is not { } share) throw Errors.RuntimeErrors.WrongCardPassphrase(set.Name, Label, FilePath);
        try
        {
            var newPassphrase = readNewPassphrase();
            try
            {
                return Create(set, share, newPassphrase);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(newPassphrase);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(share.Y);
        }
    }
}
