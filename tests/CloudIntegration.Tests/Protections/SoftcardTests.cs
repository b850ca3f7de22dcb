using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using CloudIntegration.KeyStores.SoftwareWorld.Protections;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests.Protections;

/// <summary>Softcard protection through the command line: passphrases, binding, errors, files.</summary>
public sealed class SoftcardTests
{
    const string Softcard = "finance-sc";
    const string Passphrase = "finance passphrase";
    static readonly ExportCase Aws = new("aws", "AES-256", "RSAES_OAEP_SHA_256", 2048, WrapKeyForm.DerSpki);

    sealed class Setup : IDisposable
    {
        public Scratch Scratch { get; } = new();
        public Tool Tool { get; }
        public string WrapKey { get; } = ProviderKeyPair.Get(2048).WrapKeyFile(WrapKeyForm.DerSpki);

        public Setup(bool withSoftcard = true)
        {
            Tool = Tool.In(Scratch);
            if (withSoftcard) ProtectionFixtures.NewSoftcard(Tool, Scratch, Softcard, Passphrase);
        }

        public string[] Export(string key, params string[] leading) => [.. leading, .. Aws.Arguments(key, WrapKey)];

        public string[] WithPassphrase(string key, string passphrase, string softcard = Softcard) =>
            Export(key, "-S", softcard, "--passphrase-file", ProtectionFixtures.PassphraseFile(Scratch, passphrase));

        /// <summary>Runs, checks success, and returns the key plaintext openssl unwraps; the output directory is emptied.</summary>
        public byte[] ExportOk(params string[] args)
        {
            var result = Tool.Run(args);
            Assert.True(result.ExitCode == 0, result.ToString());
            var plaintext = ProviderOracle.Import(Aws, Tool.WorkingDirectory, args[^3], ProviderKeyPair.Get(2048));
            foreach (var f in Directory.GetFiles(Tool.WorkingDirectory)) File.Delete(f);
            return plaintext;
        }

        public string SoftcardPath => Path.Combine(Tool.WorldDirectory, "softcards", Softcard + ".softcard");
        public string KeyPath(string key) => Path.Combine(Tool.WorldDirectory, "keys", key + ".key");

        public void Dispose() => Scratch.Dispose();
    }

    static void AssertRefused(ToolResult result, int exitCode, string message)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        var errors = result.Stderr.Split('\n').Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, result.ToString());
        Assert.Contains(message, errors[0]);
    }

    [Fact]
    public void A_softcard_key_is_re_exported_with_the_passphrase_and_survives_a_passphrase_change()
    {
        using var s = new Setup();
        var plaintext = s.ExportOk(s.WithPassphrase("k1", Passphrase));
        Assert.Equal(plaintext, s.ExportOk(s.WithPassphrase("k1", Passphrase)));
        var keyFile = File.ReadAllBytes(s.KeyPath("k1"));
        var idBefore = File.ReadAllLines(s.SoftcardPath)[1].Split("\"id\":\"")[1][..16];

        var change = s.Tool.Run("softcard", "passphrase", Softcard, "--passphrase-file",
                                ProtectionFixtures.PassphraseFile(s.Scratch, Passphrase, "a brand new passphrase"));
        Assert.True(change.ExitCode == 0, change.ToString());
        Assert.Contains("changed the passphrase of softcard 'finance-sc'", change.Stdout);

        // Only the softcard file changed: the key file is byte for byte the same, the softcard keeps its identifier.
        Assert.Equal(keyFile, File.ReadAllBytes(s.KeyPath("k1")));
        Assert.Contains($"\"id\":\"{idBefore}\"", File.ReadAllLines(s.SoftcardPath)[1]);
        AssertRefused(s.Tool.Run(s.WithPassphrase("k1", Passphrase)), 1, "wrong passphrase for softcard 'finance-sc'");
        Assert.Empty(Directory.GetFiles(s.Tool.WorkingDirectory));
        Assert.Equal(plaintext, s.ExportOk(s.WithPassphrase("k1", "a brand new passphrase")));
    }

    [Fact]
    public void Changing_the_passphrase_needs_the_old_one()
    {
        using var s = new Setup();
        var before = ProtectionFixtures.Snapshot(s.Tool.WorldDirectory);
        var result = s.Tool.Run("softcard", "passphrase", Softcard, "--passphrase-file",
                                ProtectionFixtures.PassphraseFile(s.Scratch, "not the passphrase", "a brand new passphrase"));
        AssertRefused(result, 1, "wrong passphrase for softcard 'finance-sc'; nothing was changed");
        ProtectionFixtures.AssertUnchanged(before, s.Tool.WorldDirectory);
    }

    [Fact]
    public void A_wrong_passphrase_changes_nothing_and_costs_at_least_the_key_derivation()
    {
        using var s = new Setup();
        s.ExportOk(s.WithPassphrase("k1", Passphrase));
        var before = ProtectionFixtures.Snapshot(s.Tool.WorldDirectory);

        // The reference cost: one PBKDF2 of the production strength, the fastest of three on this (possibly busy)
        // machine, so that a slow reference cannot make a fast run look too fast. Half of it is the bar: a wrong
        // passphrase that skipped the derivation would take a few milliseconds, not hundreds.
        var reference = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var one = Stopwatch.StartNew();
            Rfc2898DeriveBytes.Pbkdf2("x"u8, new byte[16], new byte[32], PassphraseKdf.Iterations, HashAlgorithmName.SHA256);
            if (one.Elapsed < reference) reference = one.Elapsed;
        }

        var clock = Stopwatch.StartNew();
        var existing = s.Tool.Run(s.WithPassphrase("k1", "finance passphrasE"));
        clock.Stop();
        AssertRefused(existing, 1, "wrong passphrase for softcard 'finance-sc'; nothing was changed");
        Assert.True(clock.Elapsed >= reference / 2, $"a wrong passphrase took {clock.Elapsed}, one PBKDF2 takes {reference}");

        // A new key with a wrong passphrase is not generated.
        AssertRefused(s.Tool.Run(s.WithPassphrase("k2", "")), 1, "wrong passphrase for softcard 'finance-sc'");
        Assert.Empty(Directory.GetFiles(s.Tool.WorkingDirectory));
        ProtectionFixtures.AssertUnchanged(before, s.Tool.WorldDirectory);
    }

    [Fact]
    public void Asking_for_a_key_with_the_wrong_protection_says_what_protects_it_and_reads_no_passphrase()
    {
        using var s = new Setup();
        ProtectionFixtures.NewSoftcard(s.Tool, s.Scratch, "other-sc", "other passphrase");
        s.ExportOk(s.Export("mod"));
        s.ExportOk(s.WithPassphrase("sk", Passphrase));
        var before = ProtectionFixtures.Snapshot(s.Tool.WorldDirectory);

        // No passphrase file and an empty standard input: had the tool tried to read a passphrase, the error would be
        // "standard input has no more lines", not the one expected. All are usage errors (exit 2).
        (string[] Args, string Message)[] cases =
        [
            (s.Export("sk", "-S", "other-sc"), "key 'sk' is protected by softcard 'finance-sc', but softcard 'other-sc' (-S other-sc) was given; give -S finance-sc"),
            (s.Export("sk"), "key 'sk' is protected by softcard 'finance-sc', but module protection (no -S or -O) was given; give -S finance-sc"),
            (s.Export("sk", "-M"), "key 'sk' is protected by softcard 'finance-sc', but module protection"),
            (s.Export("sk", "-O", "treasury", "--card", "x.card"), "but operator card set 'treasury' (-O treasury) was given; give -S finance-sc"),
            (s.Export("mod", "-S", "finance-sc"), "key 'mod' is module protected, but softcard 'finance-sc' (-S finance-sc) was given; give -M or no protection option"),
        ];
        foreach (var (args, message) in cases)
        {
            AssertRefused(s.Tool.Run(args), 2, message);
            Assert.Empty(Directory.GetFiles(s.Tool.WorkingDirectory));
        }
        ProtectionFixtures.AssertUnchanged(before, s.Tool.WorldDirectory);
    }

    [Fact]
    public void An_unknown_softcard_generates_nothing()
    {
        using var s = new Setup(withSoftcard: false);
        AssertRefused(s.Tool.Run(s.WithPassphrase("k1", Passphrase, "nope")), 1, "softcard 'nope' does not exist in this world");
        Assert.False(File.Exists(s.KeyPath("k1")));
        Assert.Empty(Directory.GetFiles(s.Tool.WorkingDirectory));
    }

    [Fact]
    public void New_passphrases_must_have_eight_characters_and_a_softcard_is_made_once()
    {
        using var s = new Setup(withSoftcard: false);
        // Seven characters in fourteen bytes: the rule counts characters, not bytes.
        var result = s.Tool.Run("softcard", "new", "sc", "--passphrase-file", ProtectionFixtures.PassphraseFile(s.Scratch, "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"));
        AssertRefused(result, 1, "too short (at least 8 characters are required); nothing was written");
        Assert.False(Directory.Exists(Path.Combine(s.Tool.WorldDirectory, "softcards")) &&
                     Directory.EnumerateFiles(Path.Combine(s.Tool.WorldDirectory, "softcards")).Any());

        ProtectionFixtures.NewSoftcard(s.Tool, s.Scratch, "sc", "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9");
        var before = ProtectionFixtures.Snapshot(s.Tool.WorldDirectory);
        AssertRefused(s.Tool.Run("softcard", "new", "sc", "--passphrase-file", ProtectionFixtures.PassphraseFile(s.Scratch, "another passphrase")),
                      1, "softcard 'sc' already exists");
        ProtectionFixtures.AssertUnchanged(before, s.Tool.WorldDirectory);
    }

    [Fact]
    public void Names_are_validated_like_key_names()
    {
        using var s = new Setup(withSoftcard: false);
        foreach (var bad in new[] { "../evil", "a/b", ".hidden", "-x", "", new string('a', 65) })
        {
            AssertRefused(s.Tool.Run("softcard", "new", "--passphrase-file", ProtectionFixtures.PassphraseFile(s.Scratch, Passphrase), "--", bad),
                          2, "invalid softcard name");
        }
        AssertRefused(s.Tool.Run(s.Export("k1", "-S", "../evil")), 2, "invalid -S/--softcard name");
        Assert.False(File.Exists(Path.Combine(s.Scratch.Root, "evil.softcard")));
        Assert.False(Directory.Exists(Path.Combine(s.Tool.WorldDirectory, "softcards")));
    }

    [Fact]
    public void Passphrases_can_be_piped_on_standard_input()
    {
        using var s = new Setup(withSoftcard: false);
        s.Tool.Stdin = Passphrase + "\r\n";   // a CRLF line, as a Windows editor would write it
        var created = s.Tool.Run("softcard", "new", Softcard);
        Assert.True(created.ExitCode == 0, created.ToString());
        s.Tool.Stdin = Passphrase + "\n";
        var plaintext = s.ExportOk(s.Export("k1", "-S", Softcard));
        s.Tool.Stdin = null;
        Assert.Equal(plaintext, s.ExportOk(s.WithPassphrase("k1", Passphrase)));

        // A passphrase longer than the first input buffer (4096 characters) survives the buffer's growth intact.
        var longPassphrase = string.Concat(Enumerable.Range(0, 1000).Select(i => $"w{i % 10}\u00e9 "));
        s.Tool.Stdin = longPassphrase + "\n";
        Assert.Equal(0, s.Tool.Run("softcard", "new", "long-sc").ExitCode);
        s.Tool.Stdin = longPassphrase + "\n";
        s.ExportOk(s.Export("k2", "-S", "long-sc"));
        s.Tool.Stdin = longPassphrase[..^1] + "\n";
        Assert.Contains("wrong passphrase for softcard 'long-sc'", s.Tool.Run(s.Export("k2", "-S", "long-sc")).Stderr);
    }

    [Fact]
    public void The_softcard_file_and_directory_are_private()
    {
        using var s = new Setup();
        ProtectionFixtures.AssertMode(s.SoftcardPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        ProtectionFixtures.AssertMode(Path.GetDirectoryName(s.SoftcardPath)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(s.SoftcardPath)!, ".*"));   // no temporary file left behind
    }

    [Fact]
    public void The_list_shows_softcards_and_their_keys_and_no_secret()
    {
        using var s = new Setup();
        ProtectionFixtures.NewSoftcard(s.Tool, s.Scratch, "empty-sc", "other passphrase");
        s.ExportOk(s.WithPassphrase("k1", Passphrase));
        s.ExportOk(s.WithPassphrase("k2", Passphrase));
        s.ExportOk(s.Export("module-key"));

        var list = s.Tool.Run("softcard", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        var lines = list.Stdout.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("softcard 'empty-sc' (identifier ", lines[0]);
        Assert.EndsWith("protects no key", lines[0]);
        Assert.StartsWith("softcard 'finance-sc' (identifier ", lines[1]);
        Assert.EndsWith("protects k1, k2", lines[1]);
        Assert.DoesNotContain("passphrase", list.Stdout + list.Stderr);

        // Listing an empty (or absent) world says so and creates nothing.
        using var empty = new Setup(withSoftcard: false);
        Assert.StartsWith("no softcards in ", empty.Tool.Run("softcard", "list").Stdout);
        Assert.False(Directory.Exists(empty.Tool.WorldDirectory));
    }

    [Fact]
    public void Every_one_byte_change_to_the_softcard_file_is_refused_before_a_passphrase_is_tried()
    {
        using var s = new Setup();
        s.ExportOk(s.WithPassphrase("k1", Passphrase));
        var original = File.ReadAllBytes(s.SoftcardPath);
        for (var i = 0; i < original.Length; i++)
        {
            var damaged = (byte[])original.Clone();
            damaged[i] ^= 0x01;
            File.WriteAllBytes(s.SoftcardPath, damaged);
            // The checksum catches the change without the key derivation, so this loop is quick.
            AssertRefused(s.Tool.Run(s.WithPassphrase("k1", Passphrase)), 1, "softcard 'finance-sc' is unusable");
        }
        File.WriteAllBytes(s.SoftcardPath, original);
        Assert.Empty(Directory.GetFiles(s.Tool.WorkingDirectory));
        s.ExportOk(s.WithPassphrase("k1", Passphrase));
    }

    [Fact]
    public void A_forged_header_is_refused_by_the_authenticated_encryption_and_the_cost_cannot_be_lowered()
    {
        using var s = new Setup();
        s.ExportOk(s.WithPassphrase("k1", Passphrase));
        var original = File.ReadAllBytes(s.SoftcardPath);

        // The identifier is associated data of the sealed secret: with the checksum recomputed, only the AEAD notices.
        var id = File.ReadAllLines(s.SoftcardPath)[1].Split("\"id\":\"")[1][..16];
        ProtectionFixtures.ForgeHeader(s.SoftcardPath, id, new string('0', 16));
        AssertRefused(s.Tool.Run(s.WithPassphrase("k1", Passphrase)), 1, "wrong passphrase for softcard 'finance-sc'");

        // A file asking for fewer iterations than the minimum is refused outright, whatever its checksum says.
        File.WriteAllBytes(s.SoftcardPath, original);
        ProtectionFixtures.ForgeHeader(s.SoftcardPath, "\"iterations\":600000", "\"iterations\":1000");
        AssertRefused(s.Tool.Run(s.WithPassphrase("k1", Passphrase)), 1, "key derivation parameters are outside what this tool accepts");
        Assert.Empty(Directory.GetFiles(s.Tool.WorkingDirectory));
    }

    [Fact]
    public void The_key_is_bound_to_the_softcard_secret_not_to_the_passphrase()
    {
        using var s = new Setup();
        s.ExportOk(s.WithPassphrase("k1", Passphrase));
        // Someone with write access to the world replaces the softcard by a new one of the same name and passphrase:
        // the world key and the passphrase are the same, the softcard secret is not, and the key does not open.
        File.Delete(s.SoftcardPath);
        ProtectionFixtures.NewSoftcard(s.Tool, s.Scratch, Softcard, Passphrase);
        AssertRefused(s.Tool.Run(s.WithPassphrase("k1", Passphrase)), 1, "key 'k1' failed its integrity check");
        Assert.Empty(Directory.GetFiles(s.Tool.WorkingDirectory));
    }

    [Fact]
    public void Neither_the_passphrase_nor_the_softcard_secret_nor_the_key_is_stored_in_the_clear()
    {
        using var s = new Setup();
        var plaintext = s.ExportOk(s.WithPassphrase("k1", Passphrase));

        // The softcard secret as this tool's own parser recovers it with the passphrase (white-box: this proves that
        // the secret the keys are bound to is not on disk in raw, hex or base64 form; it relies on the parser to
        // learn the secret, which the previous test shows is the one the key depends on).
        var softcard = KeyStores.SoftwareWorld.Protections.Softcard.Load(s.Tool.WorldDirectory, Softcard)!;
        var secret = softcard.Open(Encoding.UTF8.GetBytes(Passphrase));
        Assert.Equal(32, secret.Length);

        foreach (var directory in new[] { s.Tool.WorldDirectory, s.Tool.WorkingDirectory })
        {
            PlaintextSearch.AssertAbsent(directory, Encoding.UTF8.GetBytes(Passphrase));
            PlaintextSearch.AssertAbsent(directory, secret);
            PlaintextSearch.AssertAbsent(directory, plaintext);
        }
    }

    [Fact]
    public void Help_names_the_commands_and_options()
    {
        using var s = new Setup(withSoftcard: false);
        var help = s.Tool.Run("-h");
        Assert.Equal(0, help.ExitCode);
        foreach (var word in new[] { "softcard", "cardset", "--passphrase-file FILE", "--card PATH" }) Assert.Contains(word, help.Stdout);

        var softcardHelp = s.Tool.Run("softcard", "-h");
        Assert.Equal(0, softcardHelp.ExitCode);
        foreach (var word in new[] { "softcard new NAME", "softcard passphrase NAME", "softcard list", "600,000", "at least 8 characters" })
        {
            Assert.Contains(word, softcardHelp.Stdout);
        }
        AssertRefused(s.Tool.Run("softcard"), 2, "'softcard' needs a subcommand: one of new, passphrase, list");
        AssertRefused(s.Tool.Run("softcard", "delete", "x"), 2, "unknown 'softcard' subcommand 'delete'");
        AssertRefused(s.Tool.Run("softcard", "list", "extra"), 2, "unexpected argument 'extra'");
        AssertRefused(s.Tool.Run(s.Export("k1", "--passphrase-file", "f")), 2, "--passphrase-file is only used with -S SOFTCARD or -O CARDSET");
    }
}
