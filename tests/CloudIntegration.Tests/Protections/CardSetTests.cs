using System.Text;
using CloudIntegration.KeyStores.SoftwareWorld.Protections;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests.Protections;

/// <summary>Operator card set protection through the command line: quorums, refused cards, tampering, files.</summary>
public sealed class CardSetTests
{
    const string Set = "treasury";
    static readonly ExportCase Aws = new("aws", "AES-256", "RSAES_OAEP_SHA_256", 2048, WrapKeyForm.DerSpki);

    sealed class Setup : IDisposable
    {
        public Scratch Scratch { get; } = new();
        public Tool Tool { get; }
        public string CardDirectory { get; }
        public string[] Passphrases { get; }
        public string[] Cards { get; } = [];
        public string WrapKey { get; } = ProviderKeyPair.Get(2048).WrapKeyFile(WrapKeyForm.DerSpki);

        public Setup(int quorum = 2, int count = 3, bool create = true)
        {
            Tool = Tool.In(Scratch);
            CardDirectory = Path.Combine(Scratch.Root, "cards");
            Passphrases = [.. Enumerable.Range(1, count).Select(i => $"passphrase of card {i}")];
            if (create) Cards = ProtectionFixtures.NewCardSet(Tool, Scratch, Set, quorum, Passphrases, CardDirectory);
        }

        public string[] Export(string key, params string[] leading) => [.. leading, .. Aws.Arguments(key, WrapKey)];

        /// <summary>An export presenting the cards at the given (0-based) indices, each with its right passphrase.</summary>
        public string[] WithCards(string key, params int[] which) => Export(key, ProtectionFixtures.PresentCards(Scratch, Set, Cards, Passphrases, which));

        /// <summary>An export presenting these paths, with these passphrases in the passphrase file.</summary>
        public string[] WithPaths(string key, string[] paths, params string[] passphrases) =>
            Export(key, ["-O", Set, .. paths.SelectMany(p => new[] { "--card", p }), "--passphrase-file", ProtectionFixtures.PassphraseFile(Scratch, passphrases)]);

        public byte[] ExportOk(params string[] args)
        {
            var result = Tool.Run(args);
            Assert.True(result.ExitCode == 0, result.ToString());
            var plaintext = ProviderOracle.Import(Aws, Tool.WorkingDirectory, args[^3], ProviderKeyPair.Get(2048));
            foreach (var f in Directory.GetFiles(Tool.WorkingDirectory)) File.Delete(f);
            return plaintext;
        }

        /// <summary>Runs an export that must fail: one error line with <paramref name="message"/>, and nothing written anywhere.</summary>
        public ToolResult Refused(string[] args, int exitCode, params string[] messages)
        {
            var before = ProtectionFixtures.Snapshot(Tool.WorldDirectory, CardDirectory);
            var result = Tool.Run(args);
            Assert.True(result.ExitCode == exitCode, result.ToString());
            var errors = result.Stderr.Split('\n').Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
            Assert.True(errors.Count == 1, result.ToString());
            foreach (var message in messages) Assert.Contains(message, errors[0]);
            Assert.Empty(Directory.GetFiles(Tool.WorkingDirectory));
            ProtectionFixtures.AssertUnchanged(before, Tool.WorldDirectory, CardDirectory);
            return result;
        }

        public string DescriptionPath => Path.Combine(Tool.WorldDirectory, "cardsets", Set + ".cardset");

        public void Dispose() => Scratch.Dispose();
    }

    public static TheoryData<int, int> Quorums() => new() { { 2, 3 }, { 3, 5 } };

    [Theory]
    [MemberData(nameof(Quorums))]
    public void Every_quorum_of_cards_opens_the_set_and_one_card_fewer_never_does(int quorum, int count)
    {
        using var s = new Setup(quorum, count);
        var plaintext = s.ExportOk(s.WithCards("k1", [.. Enumerable.Range(0, quorum)]));

        foreach (var subset in ShamirTests.Subsets(count, quorum))
        {
            // Presented in reverse order: which cards, not their order, is what counts.
            Assert.Equal(plaintext, s.ExportOk(s.WithCards("k1", [.. subset.Reverse()])));
        }
        var fewer = quorum - 1 == 1 ? "only 1 was read" : $"only {quorum - 1} were read";
        foreach (var subset in ShamirTests.Subsets(count, quorum - 1))
        {
            s.Refused(s.WithCards("k1", subset), 1, $"operator card set '{Set}' needs {quorum} valid cards, but {fewer}");
        }
        // And a new key is not generated from too few cards.
        s.Refused(s.WithCards("k2", [.. Enumerable.Range(0, quorum - 1)]), 1, $"needs {quorum} valid cards, but {fewer}");
    }

    [Fact]
    public void A_wrong_passphrase_on_any_card_means_that_card_does_not_count()
    {
        using var s = new Setup();
        var plaintext = s.ExportOk(s.WithCards("k1", 0, 1));
        s.Refused(s.WithPaths("k1", [s.Cards[0], s.Cards[1]], s.Passphrases[0], "passphrase of card 3"), 1,
                  "needs 2 valid cards, but only 1 was read", "treasury-card-2-of-3.card: wrong passphrase for card 2 of 3");
        s.Refused(s.WithPaths("k1", [s.Cards[0], s.Cards[1]], "", s.Passphrases[1]), 1,
                  "only 1 was read", "treasury-card-1-of-3.card: wrong passphrase for card 1 of 3");
        // A third card makes up for the refused one.
        Assert.Equal(plaintext, s.ExportOk(s.WithPaths("k1", [s.Cards[0], s.Cards[1], s.Cards[2]], "wrong", s.Passphrases[1], s.Passphrases[2])));
    }

    [Fact]
    public void A_card_of_another_set_is_refused_by_name_before_its_passphrase_is_asked()
    {
        using var s = new Setup();
        s.ExportOk(s.WithCards("k1", 0, 1));
        var otherCards = ProtectionFixtures.NewCardSet(s.Tool, s.Scratch, "audit", 2, ["audit card one", "audit card two", "audit card 3!"], s.CardDirectory);

        // Only card 1's passphrase is in the file: had the tool asked for the foreign card's, it would have run out.
        s.Refused(s.WithPaths("k1", [s.Cards[0], otherCards[1]], s.Passphrases[0]), 1,
                  "only 1 was read", "audit-card-2-of-3.card: it is a card of operator card set 'audit', not of 'treasury'");

        // A set of the same name in another world (a re-created set, say) is told apart by its identifier.
        using var elsewhere = new Setup();
        s.Refused(s.WithPaths("k1", [elsewhere.Cards[1], s.Cards[0]], s.Passphrases[0]), 1,
                  "treasury-card-2-of-3.card: it is a card of another operator card set also named 'treasury'");
    }

    [Fact]
    public void A_card_presented_twice_counts_once()
    {
        using var s = new Setup();
        s.ExportOk(s.WithCards("k1", 0, 1));
        s.Refused(s.WithPaths("k1", [s.Cards[0], s.Cards[0]], s.Passphrases[0]), 1,
                  "only 1 was read", "card 1 of 3 was already presented");
        var copy = Path.Combine(s.Scratch.Root, "copy-of-card-1.card");
        File.Copy(s.Cards[0], copy);
        s.Refused(s.WithPaths("k1", [copy, s.Cards[0]], s.Passphrases[0]), 1, "only 1 was read", "card 1 of 3 was already presented");
    }

    [Fact]
    public void Every_one_byte_change_to_a_card_is_refused_as_damage()
    {
        using var s = new Setup();
        var plaintext = s.ExportOk(s.WithCards("k1", 0, 1));
        var original = File.ReadAllBytes(s.Cards[1]);

        // With a valid card beside it: the damaged card is refused and the quorum is not met.
        var flipped = (byte[])original.Clone();
        flipped[original.Length / 2] ^= 0x20;
        File.WriteAllBytes(s.Cards[1], flipped);
        s.Refused(s.WithPaths("k1", [s.Cards[0], s.Cards[1]], s.Passphrases[0], s.Passphrases[1]), 1,
                  "only 1 was read", "treasury-card-2-of-3.card: it is damaged");

        // Every position (the damaged card alone, so no key derivation is paid and the loop is quick): each flip is
        // caught by the format (magic line) or the checksum, and named.
        for (var i = 0; i < original.Length; i++)
        {
            flipped = (byte[])original.Clone();
            flipped[i] ^= 0x01;
            File.WriteAllBytes(s.Cards[1], flipped);
            var result = s.Tool.Run(s.WithPaths("k1", [s.Cards[1]], s.Passphrases[1]));
            Assert.Equal(1, result.ExitCode);
            Assert.Matches("treasury-card-2-of-3.card: it (is damaged|is not a card file of this tool)", result.Stderr);
        }
        File.WriteAllBytes(s.Cards[1], original);
        Assert.Equal(plaintext, s.ExportOk(s.WithCards("k1", 0, 1)));
    }

    [Fact]
    public void A_forged_card_header_is_refused_by_the_authenticated_encryption()
    {
        using var s = new Setup();
        s.ExportOk(s.WithCards("k1", 0, 1));
        var original = File.ReadAllBytes(s.Cards[1]);

        // Card 2 relabelled as card 3, checksum recomputed: the header is associated data, so the right passphrase no
        // longer opens it.
        ProtectionFixtures.ForgeHeader(s.Cards[1], "\"card\":2", "\"card\":3");
        s.Refused(s.WithPaths("k1", [s.Cards[0], s.Cards[1]], s.Passphrases[0], s.Passphrases[1]), 1,
                  "only 1 was read", "wrong passphrase for card 3 of 3, or the card was altered");

        // A card claiming a smaller quorum is refused before its passphrase is asked.
        File.WriteAllBytes(s.Cards[1], original);
        ProtectionFixtures.ForgeHeader(s.Cards[1], "\"quorum\":2", "\"quorum\":1");
        s.Refused(s.WithPaths("k1", [s.Cards[1], s.Cards[0]], s.Passphrases[0]), 1,
                  "it says 1 of 3 cards, but the set is 2 of 3");
    }

    [Fact]
    public void Cards_that_do_not_rebuild_the_key_are_caught_by_the_check_value()
    {
        using var s = new Setup();
        s.ExportOk(s.WithCards("k1", 0, 1));
        var set = CardSet.Load(s.Tool.WorldDirectory, Set)!;

        // The holder of card 2, who knows its passphrase, re-seals an altered share (white-box, through the format's
        // own code): every card is individually valid, but together they rebuild a wrong key.
        Assert.True(Card.TryRead(s.Cards[1], out var card, out _));
        var share = card!.TryOpen(Encoding.UTF8.GetBytes(s.Passphrases[1]))!.Value;
        share.Y[0] ^= 1;
        File.WriteAllBytes(s.Cards[1], Card.Create(set, share, Encoding.UTF8.GetBytes(s.Passphrases[1])));
        s.Refused(s.WithCards("k1", 0, 1), 1, "the cards presented do not rebuild the key of operator card set 'treasury'");

        // The world's description edited to need one card only (checksum recomputed): the cards, whose K is
        // authenticated with their share, disagree and are refused. (Were they not, one card would "rebuild" its own
        // share, and the check value, which binds K too, would refuse that.)
        ProtectionFixtures.ForgeHeader(s.DescriptionPath, "\"quorum\":2", "\"quorum\":1");
        s.Refused(s.WithCards("k1", 0), 1, "it says 2 of 3 cards, but the set is 1 of 3");
    }

    [Fact]
    public void A_damaged_description_is_named()
    {
        using var s = new Setup();
        s.ExportOk(s.Export("module-key"));   // the world key exists, so a refused export creates nothing
        var bytes = File.ReadAllBytes(s.DescriptionPath);
        bytes[bytes.Length / 2] ^= 0x04;
        File.WriteAllBytes(s.DescriptionPath, bytes);
        s.Refused(s.WithCards("k1", 0, 1), 1, "operator card set 'treasury' is unusable", "checksum does not match");
        Assert.Contains("warning: operator card set 'treasury' is unusable", s.Tool.Run("cardset", "list").Stderr);
    }

    [Fact]
    public void Presenting_a_directory_reads_its_cards_of_the_set_until_the_quorum_is_met()
    {
        using var s = new Setup();
        var plaintext = s.ExportOk(s.WithPaths("k1", [s.CardDirectory], s.Passphrases[0], s.Passphrases[1]));
        // Card 3 by path first, then the directory: card 1 is read from it, card 3 is skipped (already read).
        var result = s.Tool.Run(s.WithPaths("k1", [s.Cards[2], s.CardDirectory], s.Passphrases[2], s.Passphrases[0]));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(plaintext, ProviderOracle.Import(Aws, s.Tool.WorkingDirectory, "k1", ProviderKeyPair.Get(2048)));
        foreach (var f in Directory.GetFiles(s.Tool.WorkingDirectory)) File.Delete(f);
        s.Refused(s.WithPaths("k1", [s.Scratch.Dir("empty")], "x"), 1,
                  "none was read", "empty: the directory holds no card of set 'treasury'");
    }

    [Fact]
    public void Card_set_options_are_checked_and_a_key_keeps_its_protection()
    {
        using var s = new Setup();
        s.ExportOk(s.WithCards("k1", 0, 1));
        s.ExportOk(s.Export("module-key"));
        // Standard input is empty and there is no passphrase file: none of these may try to read a passphrase.
        s.Refused(s.Export("k1"), 2, "key 'k1' is protected by operator card set 'treasury', but module protection (no -S or -O) was given; " +
                                     "give -O treasury and present a quorum of its cards");
        s.Refused(s.Export("k1", "-S", "finance-sc"), 2, "is protected by operator card set 'treasury', but softcard 'finance-sc'");
        s.Refused(s.Export("k1", "-O", "other", "--card", s.Cards[0]), 2, "but operator card set 'other' (-O other) was given; give -O treasury");
        s.Refused(s.Export("module-key", "-O", Set, "--card", s.Cards[0]), 2, "key 'module-key' is module protected");
        s.Refused(s.Export("k1", "-O", Set), 2, "operator card set 'treasury' needs 2 of its cards: give --card PATH for each");
        s.Refused(s.Export("k1", "--card", s.Cards[0]), 2, "--card is only used with -O CARDSET");
        s.Refused(s.Export("k2", "-O", "nope", "--card", s.Cards[0]), 1, "operator card set 'nope' does not exist in this world");
        s.Refused(s.WithPaths("k1", [Path.Combine(s.Scratch.Root, "missing.card")], "x"), 1, "missing.card: there is no such file or directory");
        if (File.Exists("/dev/zero")) s.Refused(s.WithPaths("k1", ["/dev/zero"], "x"), 1, "zero: it is larger than 16384 bytes");
    }

    public static TheoryData<string[], string> BadNewArguments() => new()
    {
        { ["--quorum", "3", "--cards", "2", "--card-dir", "c"], "--quorum 3 does not fit --cards 2" },
        { ["--quorum", "0", "--cards", "2", "--card-dir", "c"], "--quorum 0 does not fit --cards 2" },
        { ["--quorum", "2", "--cards", "65", "--card-dir", "c"], "--cards 65 is out of range" },
        { ["--quorum", "two", "--cards", "3", "--card-dir", "c"], "--quorum 'two' is not a number" },
        { ["--quorum", "2", "--cards", "3"], "cardset new needs --card-dir DIR" },
        { ["--cards", "3", "--card-dir", "c"], "cardset new needs --quorum K" },
        { ["--quorum", "2", "--cards", "3", "--card-dir", "a", "--card-dir", "b"], "give --card-dir once (all cards in it) or 3 times" },
        { ["--quorum", "2", "--cards", "3", "--card-dir", "c", "--card", "x"], "--card is not used with 'cardset new'" },
    };

    [Theory]
    [MemberData(nameof(BadNewArguments))]
    public void Bad_card_set_parameters_are_usage_errors_and_create_nothing(string[] arguments, string message)
    {
        using var s = new Setup(create: false);
        var result = s.Tool.Run(["cardset", "new", Set, .. arguments, "--passphrase-file", ProtectionFixtures.PassphraseFile(s.Scratch, "p1 p1 p1 p1", "p2 p2 p2 p2")]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Stderr);
        Assert.False(Directory.Exists(s.Tool.WorldDirectory));
        Assert.Equal(["out"], Directory.GetDirectories(s.Scratch.Root).Select(Path.GetFileName));
    }

    [Fact]
    public void A_refused_passphrase_or_an_existing_card_leaves_no_card_behind()
    {
        using var s = new Setup(create: false);
        // Card 2's passphrase is too short: card 1 was already written and is removed again, as is the card directory.
        var result = s.Tool.Run("cardset", "new", Set, "--quorum", "2", "--cards", "3", "--card-dir", s.CardDirectory,
                                "--passphrase-file", ProtectionFixtures.PassphraseFile(s.Scratch, "long enough 1", "short", "long enough 3"));
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("the passphrase for card 2 of 3 of operator card set 'treasury' is too short", result.Stderr);
        Assert.False(Directory.Exists(s.CardDirectory));
        Assert.False(File.Exists(s.DescriptionPath));

        Directory.CreateDirectory(s.CardDirectory);
        File.WriteAllText(Path.Combine(s.CardDirectory, "treasury-card-3-of-3.card"), "someone else's file");
        result = s.Tool.Run("cardset", "new", Set, "--quorum", "2", "--cards", "3", "--card-dir", s.CardDirectory,
                            "--passphrase-file", ProtectionFixtures.PassphraseFile(s.Scratch, s.Passphrases));
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("treasury-card-3-of-3.card already exists", result.Stderr);
        Assert.Equal(["treasury-card-3-of-3.card"], Directory.GetFiles(s.CardDirectory).Select(Path.GetFileName));
        Assert.Equal("someone else's file", File.ReadAllText(Path.Combine(s.CardDirectory, "treasury-card-3-of-3.card")));

        File.Delete(Path.Combine(s.CardDirectory, "treasury-card-3-of-3.card"));
        ProtectionFixtures.NewCardSet(s.Tool, s.Scratch, Set, 2, s.Passphrases, s.CardDirectory);
        var before = ProtectionFixtures.Snapshot(s.Tool.WorldDirectory);
        result = s.Tool.Run("cardset", "new", Set, "--quorum", "2", "--cards", "3", "--card-dir", s.Scratch.Dir("other-cards"),
                            "--passphrase-file", ProtectionFixtures.PassphraseFile(s.Scratch, s.Passphrases));
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("operator card set 'treasury' already exists", result.Stderr);
        Assert.Empty(Directory.GetFiles(Path.Combine(s.Scratch.Root, "other-cards")));
        ProtectionFixtures.AssertUnchanged(before, s.Tool.WorldDirectory);
    }

    [Fact]
    public void Cards_can_go_one_per_directory_and_every_file_is_private()
    {
        using var s = new Setup(create: false);
        var directories = Enumerable.Range(1, 3).Select(i => Path.Combine(s.Scratch.Root, $"holder-{i}")).ToArray();
        var result = s.Tool.Run(["cardset", "new", Set, "--quorum", "2", "--cards", "3", .. directories.SelectMany(d => new[] { "--card-dir", d }),
                                 "--passphrase-file", ProtectionFixtures.PassphraseFile(s.Scratch, s.Passphrases)]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("any 2 of its 3 cards open it", result.Stdout);
        const UnixFileMode file = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        const UnixFileMode directory = file | UnixFileMode.UserExecute;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal([$"treasury-card-{i + 1}-of-3.card"], Directory.GetFiles(directories[i]).Select(Path.GetFileName));
            ProtectionFixtures.AssertMode(directories[i], directory);
            ProtectionFixtures.AssertMode(Path.Combine(directories[i], $"treasury-card-{i + 1}-of-3.card"), file);
        }
        ProtectionFixtures.AssertMode(s.DescriptionPath, file);
        ProtectionFixtures.AssertMode(Path.GetDirectoryName(s.DescriptionPath)!, directory);
        s.ExportOk(s.WithPaths("k1", [directories[2], directories[0]], s.Passphrases[2], s.Passphrases[0]));
    }

    [Fact]
    public void A_card_passphrase_change_touches_that_card_only()
    {
        using var s = new Setup();
        var plaintext = s.ExportOk(s.WithCards("k1", 0, 1));
        var before = ProtectionFixtures.Snapshot(s.Tool.WorldDirectory);
        var others = new[] { File.ReadAllBytes(s.Cards[0]), File.ReadAllBytes(s.Cards[2]) };

        var wrong = s.Tool.Run("cardset", "passphrase", Set, "--card", s.Cards[1], "--passphrase-file",
                               ProtectionFixtures.PassphraseFile(s.Scratch, "not it at all", "new card two passphrase"));
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("wrong passphrase for card 2 of 3 of operator card set 'treasury'", wrong.Stderr);

        var change = s.Tool.Run("cardset", "passphrase", Set, "--card", s.Cards[1], "--passphrase-file",
                                ProtectionFixtures.PassphraseFile(s.Scratch, s.Passphrases[1], "new card two passphrase"));
        Assert.True(change.ExitCode == 0, change.ToString());
        ProtectionFixtures.AssertUnchanged(before, s.Tool.WorldDirectory);
        Assert.Equal(others[0], File.ReadAllBytes(s.Cards[0]));
        Assert.Equal(others[1], File.ReadAllBytes(s.Cards[2]));
        ProtectionFixtures.AssertMode(s.Cards[1], UnixFileMode.UserRead | UnixFileMode.UserWrite);

        s.Refused(s.WithCards("k1", 0, 1), 1, "wrong passphrase for card 2 of 3");
        Assert.Equal(plaintext, s.ExportOk(s.WithPaths("k1", [s.Cards[1], s.Cards[0]], "new card two passphrase", s.Passphrases[0])));
    }

    [Fact]
    public void The_list_shows_sets_with_their_quorum_and_keys_and_no_secret()
    {
        using var s = new Setup();
        s.ExportOk(s.WithCards("k1", 0, 2));
        ProtectionFixtures.NewCardSet(s.Tool, s.Scratch, "audit", 1, ["audit card one"], s.Scratch.Dir("audit-cards"));
        var list = s.Tool.Run("cardset", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        var lines = list.Stdout.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^operator card set 'audit' \(1 of 1 cards, identifier [0-9a-f]{16}, created [0-9TZ:-]+\): protects no key$", lines[0]);
        Assert.Matches(@"^operator card set 'treasury' \(2 of 3 cards, identifier [0-9a-f]{16}, created [0-9TZ:-]+\): protects k1$", lines[1]);
        Assert.DoesNotContain("passphrase", list.Stdout + list.Stderr);
    }

    [Fact]
    public void No_passphrase_share_or_card_set_key_is_stored_in_the_clear()
    {
        using var s = new Setup(3, 5);
        var plaintext = s.ExportOk(s.WithCards("k1", 4, 0, 2));

        // White-box: the shares and the card set key as this tool's own format code recovers them with the
        // passphrases, confirmed by the world's check value (so they are the real ones, not a parsing artefact).
        var shares = new List<Share>();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(Card.TryRead(s.Cards[i], out var card, out _));
            shares.Add(card!.TryOpen(Encoding.UTF8.GetBytes(s.Passphrases[i]))!.Value);
        }
        var key = Shamir.Combine(shares[1..4]);
        Assert.True(CardSet.Load(s.Tool.WorldDirectory, Set)!.Verifies(key));

        foreach (var directory in new[] { s.Tool.WorldDirectory, s.CardDirectory, s.Tool.WorkingDirectory })
        {
            foreach (var passphrase in s.Passphrases) PlaintextSearch.AssertAbsent(directory, Encoding.UTF8.GetBytes(passphrase));
            foreach (var share in shares) PlaintextSearch.AssertAbsent(directory, share.Y);
            PlaintextSearch.AssertAbsent(directory, key);
            PlaintextSearch.AssertAbsent(directory, plaintext);
        }
    }

    [Fact]
    public void Help_describes_the_card_set_commands()
    {
        using var s = new Setup(create: false);
        var help = s.Tool.Run("cardset", "-h");
        Assert.Equal(0, help.ExitCode);
        foreach (var word in new[] { "cardset new NAME --quorum K --cards N --card-dir DIR", "cardset passphrase NAME --card PATH",
                                     "cardset list", "NAME-card-i-of-N.card", "--passphrase-file FILE" })
        {
            Assert.Contains(word, help.Stdout);
        }
        Assert.Equal(2, s.Tool.Run("cardset").ExitCode);
        Assert.Equal(2, s.Tool.Run("cardset", "list", "--quorum", "2").ExitCode);
    }
}
