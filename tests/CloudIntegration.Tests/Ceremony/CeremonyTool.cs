using System.Text.Json;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests.Ceremony;

/// <summary>The ceremony verbs as the tests call them, and small readers for what they print and write.</summary>
public static class CeremonyTool
{
    /// <summary>'keys ...' against the tool's key store: the store selection goes after the subcommand.</summary>
    public static ToolResult Keys(this Tool tool, params string[] args) => tool.Run(["keys", .. args, .. tool.LeadingArguments]);

    public static ToolResult Audit(this Tool tool, params string[] args) => tool.Run(["audit", .. args]);

    public static ToolResult Ok(this ToolResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    public static JsonElement Json(this ToolResult result)
    {
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    public static string AuditLog(this Tool tool) => Path.Combine(tool.WorldDirectory, "audit.log");
    public static string AuditHead(this Tool tool) => Path.Combine(tool.WorldDirectory, "audit.head");

    public static List<JsonElement> AuditEntries(this Tool tool) =>
        File.ReadAllLines(tool.AuditLog()).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    public static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data));

    /// <summary>POSIX shell words of a printed command (plain words and single quotes, which is all the tool emits).</summary>
    public static List<string> ShellWords(string command)
    {
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        var inWord = false;
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (c == '\'')
            {
                var end = command.IndexOf('\'', i + 1);
                Assert.True(end > i, $"unbalanced quote in: {command}");
                word.Append(command, i + 1, end - i - 1);
                i = end;
                inWord = true;
            }
            else if (c == ' ')
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }

    /// <summary>The flags of a command and their values (a flag followed by another flag, or nothing, has value "").</summary>
    public static Dictionary<string, string> Flags(List<string> words, int skip)
    {
        var flags = new Dictionary<string, string>();
        for (var i = skip; i < words.Count; i++)
        {
            Assert.StartsWith("--", words[i]);
            var hasValue = i + 1 < words.Count && !words[i + 1].StartsWith("--", StringComparison.Ordinal);
            Assert.True(flags.TryAdd(words[i], hasValue ? words[++i] : ""), $"flag {words[i]} given twice");
        }
        return flags;
    }
}
