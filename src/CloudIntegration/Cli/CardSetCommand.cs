using System.Globalization;
using CloudIntegration.Errors;
using CloudIntegration.IO;
using CloudIntegration.Keys;
using CloudIntegration.KeyStores.SoftwareWorld;
using CloudIntegration.KeyStores.SoftwareWorld.Protections;

namespace CloudIntegration.Cli;

/// <summary><c>cardset new NAME --quorum K --cards N --card-dir DIR</c>, <c>cardset passphrase NAME --card PATH</c>, <c>cardset list</c>.</summary>
public static class CardSetCommand
{
    static readonly OptionSpec Quorum = new(null, "quorum", "K", "how many cards open the set");
    static readonly OptionSpec Cards = new(null, "cards", "N", "how many cards to make");
    static readonly OptionSpec CardDir = new(null, "card-dir", "DIR", "where to write the cards");
    static readonly OptionSpec Card = new(null, "card", "PATH", "the card whose passphrase to change");
    static readonly List<OptionSpec> Options = [CommandOptions.Help, Quorum, Cards, CardDir, Card, CommandOptions.PassphraseFile];

    public static int Run(string[] argv, ToolEnvironment env)
    {
        var args = ParsedArguments.Parse(argv, Options);
        if (args.Has(CommandOptions.Help))
        {
            env.Out.Write(HelpText(env.ProgramName));
            return ExitCodes.Success;
        }
        var (subcommand, name) = SoftcardCommand.Subcommand(args, "cardset", ["new", "passphrase", "list"]);
        foreach (var option in Options.Where(o => o != CommandOptions.Help && args.Has(o)))
        {
            var allowed = subcommand switch
            {
                "new" => option == Quorum || option == Cards || option == CardDir || option == CommandOptions.PassphraseFile,
                "passphrase" => option == Card || option == CommandOptions.PassphraseFile,
                "list" => false,
                _ => throw new ArgumentOutOfRangeException(nameof(argv), subcommand, "unknown subcommand"),
            };
            if (!allowed) throw UsageErrors.OptionNotForSubcommand("--" + option.Long, "cardset", subcommand);
        }
        var root = KeyStoreSelection.WorldRoot(env);
        return subcommand switch
        {
            "new" => New(name!, args, root, env),
            "passphrase" => ChangePassphrase(name!, args, root, env),
            _ => List(root, env),
        };
    }

    static int New(string name, ParsedArguments args, string root, ToolEnvironment env)
    {
        var count = Number(args, Cards);
        var quorum = Number(args, Quorum);
        if (count < 1 || count > CardSet.MaxCards) throw UsageErrors.InvalidCardSetSize($"--cards {count} is out of range");
        if (quorum < 1 || quorum > count) throw UsageErrors.InvalidCardSetSize($"--quorum {quorum} does not fit --cards {count}");
        var directories = args.Values(CardDir).Select(d => Path.GetFullPath(d, env.WorkingDirectory)).ToList();
        if (directories.Count != 1 && directories.Count != count)
        {
            throw UsageErrors.CardDirectoryCount(directories.Count, count);
        }
        var cardPaths = Enumerable.Range(1, count)
            .Select(i => Path.Combine(directories.Count == 1 ? directories[0] : directories[i - 1], KeyStores.SoftwareWorld.Protections.Card.FileName(name, i, count)))
            .ToList();

        if (CardSet.Load(root, name) is not null) throw RuntimeErrors.CardSetExists(name, CardSet.PathFor(root, name));
        foreach (var path in cardPaths) if (File.Exists(path)) throw RuntimeErrors.CardFileExists(path);
        using var secrets = ProtectionSetup.OpenSecrets(SoftcardCommand.PassphraseFile(args, env), env);

        WorldDirectory.OpenOrCreate(root, env.Diagnostics);
        var created = new List<string>();
        CardSet set;
        try
        {
            foreach (var directory in directories.Distinct().Where(d => !Directory.Exists(d)))
            {
                try
                {
                    AtomicFile.CreatePrivateDirectory(directory);
                    created.Add(directory);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw RuntimeErrors.StorageFailed(directory, ErrorText.Describe(e), e);
                }
            }
            set = CardSet.Create(root, name, quorum, count, cardPaths,
                i => PassphraseKdf.ReadNew(secrets, $"card {i} of {count} of operator card set '{name}'", env.Err),
                path => env.Out.WriteLine($"wrote {path}"));
        }
        catch
        {
            // The card files are already gone (CardSet.Create removes them); remove the card directories made for them.
            foreach (var directory in created)
            {
                try { Directory.Delete(directory); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
            throw;
        }
        env.Out.WriteLine($"created operator card set '{set.Name}' (identifier {set.Id}): any {quorum} of its {count} cards open it");
        env.Out.WriteLine("give each card to its holder on its own medium; the world keeps no copy of any card");
        env.Out.WriteLine($"protect a new key with it: {env.ProgramName} -O {set.Name} --card PATH ... PROVIDER KEYNAME ...");
        return ExitCodes.Success;
    }

    static int ChangePassphrase(string name, ParsedArguments args, string root, ToolEnvironment env)
    {
        var set = CardSet.Load(root, name) ?? throw RuntimeErrors.CardSetNotFound(name, CardSet.PathFor(root, name));
        if (args.Values(Card) is not [var given]) throw UsageErrors.SubcommandNeeds("cardset", "passphrase", "exactly one --card PATH: the card whose passphrase changes");
        var path = Path.GetFullPath(given, env.WorkingDirectory);
        if (!KeyStores.SoftwareWorld.Protections.Card.TryRead(path, out var card, out var problem)) throw RuntimeErrors.CardRefused(name, path, problem);
        if (card!.CardSetName != set.Name || card.CardSetId != set.Id)
        {
            throw RuntimeErrors.CardRefused(name, path, $"it is a card of another operator card set ('{card.CardSetName}', identifier {card.CardSetId})");
        }
        using var secrets = ProtectionSetup.OpenSecrets(SoftcardCommand.PassphraseFile(args, env), env);
        var old = PassphraseKdf.ReadExisting(secrets, $"{card.Label} of operator card set '{name}'");
        byte[] file;
        try
        {
            file = card.Reseal(old, () => PassphraseKdf.ReadNew(secrets, $"{card.Label} of operator card set '{name}'", env.Err), set);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(old);
        }
        try
        {
            AtomicFile.Write(path, file, AtomicFile.OwnerOnly);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RuntimeErrors.StorageFailed(path, ErrorText.Describe(e), e);
        }
        env.Out.WriteLine($"changed the passphrase of {card.Label} of operator card set '{name}' ({path}); the other cards and the keys are unchanged");
        return ExitCodes.Success;
    }

    static int List(string root, ToolEnvironment env)
    {
        var failed = false;
        var sets = CardSet.LoadAll(root, e => { env.Diagnostics.Warn(e.Message); failed = true; });
        var keys = SoftcardCommand.ProtectedKeys(root, env);
        if (sets.Count == 0) env.Out.WriteLine("no operator card sets in " + CardSet.DirectoryOf(root));
        foreach (var set in sets)
        {
            env.Out.WriteLine($"operator card set '{set.Name}' ({set.Quorum} of {set.Count} cards, identifier {set.Id}, " +
                              $"created {TextFormats.Utc(set.Created)}): {SoftcardCommand.Protects(keys, Protection.CardSet(set.Name))}");
        }
        return failed ? ExitCodes.Failure : ExitCodes.Success;
    }

    static int Number(ParsedArguments args, OptionSpec option)
    {
        if (args.Value(option) is not { } text) throw UsageErrors.SubcommandNeeds("cardset", "new", $"--{option.Long} {option.ValueName}");
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw UsageErrors.InvalidCardSetSize($"--{option.Long} '{ErrorText.Shorten(text)}' is not a number");
        }
        return value;
    }

    static string HelpText(string program) => $"""
        usage: {program} cardset new NAME --quorum K --cards N --card-dir DIR [--card-dir DIR ...] [--passphrase-file FILE]
               {program} cardset passphrase NAME --card PATH [--passphrase-file FILE]
               {program} cardset list

        An operator card set (OCS) is N cards, any K of which must be presented, each with its own passphrase, to use
        the keys it protects: dual (or K-person) control. 'new' makes a random 32-byte card set key, splits it with
        Shamir's secret sharing (any K shares rebuild it, K-1 tell nothing) and writes card i, holding share i sealed
        under card i's passphrase, as DIR/NAME-card-i-of-N.card. Give --card-dir once (every card in DIR) or N times
        (card i in the i-th DIR, e.g. one removable medium per holder). The world keeps only the set's description
        (cardsets/NAME.cardset: K, N, an identifier and a check value), never a card or a share.

        Keys generated with -O NAME are sealed under a key derived from the world key and the card set key. To export
        one, present K cards with --card PATH (a card file, or a directory holding cards of the set; repeat) and type
        each card's passphrase; on a terminal the tool asks for more card paths until the quorum is met.

        'passphrase' changes the passphrase of one card (asks the old one, then the new one); no other file changes.
        'list' shows each set, its K and N, and the keys it protects.

        Passphrases: at least {PassphraseKdf.MinimumCharacters} characters; PBKDF2-HMAC-SHA256 with {PassphraseKdf.Iterations:N0} iterations. On a terminal
        they are asked with echo off, new ones twice. For automation give --passphrase-file FILE, or pipe them on
        standard input: one per line in the order asked ('new': card 1 to card N; exports: one per card presented
        whose header fits the set, in the order presented). Never on the command line.

        options:
          -h, --help              show this help and exit
          --quorum K              how many cards open the set (1 <= K <= N)
          --cards N               how many cards to make (N <= {CardSet.MaxCards})
          --card-dir DIR          where to write the cards ('new'); created 0700 if missing
          --card PATH             the card whose passphrase changes ('passphrase')
          --passphrase-file FILE  read the passphrases from FILE

        """;
}
