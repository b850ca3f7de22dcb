using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace CloudIntegration.Tests.Support;

/// <summary>Creates softcards and card sets through the tool's own commands, with passphrases from files.</summary>
public static class ProtectionFixtures
{
    /// <summary>A passphrase file (one per line) in the scratch root: outside the world, card and output directories.</summary>
    public static string PassphraseFile(Scratch scratch, params string[] passphrases) =>
        scratch.Write($"pass-{Guid.NewGuid():N}.txt", string.Concat(passphrases.Select(p => p + "\n")));

    public static void NewSoftcard(Tool tool, Scratch scratch, string name, string passphrase)
    {
        var result = tool.Run("softcard", "new", name, "--passphrase-file", PassphraseFile(scratch, passphrase));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>Creates a K-of-N set with the given passphrases (card i gets passphrases[i-1]); returns the card paths.</summary>
    public static string[] NewCardSet(Tool tool, Scratch scratch, string name, int quorum, string[] passphrases, string cardDirectory)
    {
        var result = tool.Run("cardset", "new", name, "--quorum", quorum.ToString(), "--cards", passphrases.Length.ToString(),
                              "--card-dir", cardDirectory, "--passphrase-file", PassphraseFile(scratch, passphrases));
        Assert.True(result.ExitCode == 0, result.ToString());
        return CardPaths(cardDirectory, name, passphrases.Length);
    }

    public static string[] CardPaths(string cardDirectory, string name, int count) =>
        [.. Enumerable.Range(1, count).Select(i => Path.Combine(cardDirectory, $"{name}-card-{i}-of-{count}.card"))];

    /// <summary>The -O arguments presenting the given cards (0-based indices) and a passphrase file with their passphrases.</summary>
    public static string[] PresentCards(Scratch scratch, string name, string[] cards, string[] passphrases, IEnumerable<int> which)
    {
        var chosen = which.ToList();
        var args = new List<string> { "-O", name };
        foreach (var i in chosen) args.AddRange(["--card", cards[i]]);
        args.AddRange(["--passphrase-file", PassphraseFile(scratch, [.. chosen.Select(i => passphrases[i])])]);
        return [.. args];
    }

    /// <summary>
    /// Every file under the directories, by path, with its bytes: to prove that a failed run changed nothing. The
    /// world's audit trail (audit.log, audit.head, audit.lock at the world root, when the build has one) is left out:
    /// it records refused attempts by design, and is append-only and checked by its own tests.
    /// </summary>
    public static Dictionary<string, byte[]> Snapshot(params string[] directories) =>
        directories.Where(Directory.Exists)
                   .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
                   .Where(f => !Path.GetFileName(f).StartsWith("audit.", StringComparison.Ordinal))
                   .ToDictionary(f => f, File.ReadAllBytes);

    public static void AssertUnchanged(Dictionary<string, byte[]> before, params string[] directories)
    {
        var after = Snapshot(directories);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (path, content) in before) Assert.True(content.AsSpan().SequenceEqual(after[path]), $"{path} changed");
    }

    /// <summary>
    /// Rewrites the trailing "sha256:" checksum line of a softcard, card or card set file after an edit, as a
    /// deliberate forger would: what remains to catch the edit is the cryptography, not the checksum.
    /// </summary>
    public static void ForgeChecksum(string path)
    {
        var lines = File.ReadAllText(path).Split('\n');
        var body = string.Join('\n', lines[..^2]) + "\n";
        lines[^2] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(body)));
        File.WriteAllText(path, string.Join('\n', lines));
    }

    /// <summary>Replaces text in the JSON header line (line 2) of a file, then forges its checksum.</summary>
    public static void ForgeHeader(string path, string from, string to)
    {
        var lines = File.ReadAllText(path).Split('\n');
        Assert.Contains(from, lines[1]);
        lines[1] = lines[1].Replace(from, to);
        File.WriteAllText(path, string.Join('\n', lines));
        ForgeChecksum(path);
    }

    public static void AssertMode(string path, UnixFileMode expected)
    {
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(expected, File.GetUnixFileMode(path));
    }
}
