using CloudIntegration.Tests.Support;

namespace CloudIntegration.Tests.Cases;

/// <summary>
/// The embedded Security World with a softcard: every export of the table runs with -S and the passphrase read from
/// a file (so each export pays the full PBKDF2 cost, as a real one does).
/// </summary>
public sealed class SoftwareWorldSoftcard : KeyStoreUnderTest
{
    public const string SoftcardName = "ceremony-sc";
    public const string Passphrase = "table passphrase \u00e9t\u00e9 #1";

    public override string Name => "software-world/softcard";
    public override KeyStoreKind Kind => KeyStoreKind.World;

    public override Tool Prepare(Scratch scratch)
    {
        var tool = Tool.In(scratch);
        ProtectionFixtures.NewSoftcard(tool, scratch, SoftcardName, Passphrase);
        tool.LeadingArguments.AddRange(["-S", SoftcardName, "--passphrase-file", ProtectionFixtures.PassphraseFile(scratch, Passphrase)]);
        return tool;
    }
}

/// <summary>
/// The embedded Security World with a 2-of-3 operator card set: every export presents cards 3 and 1 (in that order,
/// so the order of presentation does not matter), each with its own passphrase from a file.
/// </summary>
public sealed class SoftwareWorldCardSet : KeyStoreUnderTest
{
    public const string CardSetName = "ceremony-ocs";
    public static readonly string[] Passphrases = ["first card pass", "second card pass", "third card pass"];

    public override string Name => "software-world/cardset-2-of-3";
    public override KeyStoreKind Kind => KeyStoreKind.World;

    public static string CardDirectory(Tool tool) => Path.Combine(Path.GetDirectoryName(tool.WorldDirectory)!, "cards");

    public override Tool Prepare(Scratch scratch)
    {
        var tool = Tool.In(scratch);
        var cards = ProtectionFixtures.NewCardSet(tool, scratch, CardSetName, 2, Passphrases, CardDirectory(tool));
        tool.LeadingArguments.AddRange(ProtectionFixtures.PresentCards(scratch, CardSetName, cards, Passphrases, [2, 0]));
        return tool;
    }

    /// <summary>The cards are storage too: key plaintext must not be found in them either.</summary>
    public override IEnumerable<string> StorageDirectories(Tool tool) => [tool.WorldDirectory, CardDirectory(tool)];
}
