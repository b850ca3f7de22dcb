using System.Text.Json;
using CloudIntegration.Tests.Support;

namespace CloudIntegration.Tests.CeremonyFiles;

/// <summary>One export line of a ceremony file as a test writes it; null fields are left out of the file.</summary>
public sealed record Export(string Provider, string KeyName, string WrappingKey, string Fingerprint)
{
    public string? KeyType { get; init; }
    public string? Protection { get; init; }
    public string? WrapAlg { get; init; }
    public string? AzureKek { get; init; }
    public string? OutputDir { get; init; }
}

/// <summary>Writes ceremony files (JSON, one field per line so line numbers are predictable) for the tests.</summary>
public static class CeremonyFileBuilder
{
    public static string Write(string path, params Export[] exports)
    {
        var lines = new List<string> { "{", "  \"exports\": [" };
        for (var i = 0; i < exports.Length; i++)
        {
            var e = exports[i];
            var fields = new List<(string, string?)>
            {
                ("provider", e.Provider), ("keyName", e.KeyName), ("keyType", e.KeyType), ("protection", e.Protection),
                ("wrappingKey", e.WrappingKey), ("wrappingKeyFingerprint", e.Fingerprint), ("wrapAlg", e.WrapAlg),
                ("azureKek", e.AzureKek), ("outputDir", e.OutputDir),
            };
            var present = fields.Where(f => f.Item2 is not null).Select(f => $"      {JsonSerializer.Serialize(f.Item1)}: {JsonSerializer.Serialize(f.Item2)}").ToList();
            lines.Add("    {");
            lines.Add(string.Join(",\n", present));
            lines.Add(i == exports.Length - 1 ? "    }" : "    },");
        }
        lines.Add("  ]");
        lines.Add("}");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    /// <summary>SHA-256 of a DER SubjectPublicKeyInfo file: the fingerprint a cloud console shows.</summary>
    public static string FingerprintOf(string spkiDerPath) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(spkiDerPath)));

    /// <summary>Every file under the directories (audit trail included) with its bytes, and every directory.</summary>
    public static SortedDictionary<string, string> Everything(params string[] directories)
    {
        var all = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var directory in directories.Where(Directory.Exists))
        {
            all[directory + "/"] = "";
            foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories))
            {
                all[entry] = Directory.Exists(entry) ? "dir" : Convert.ToHexString(File.ReadAllBytes(entry));
            }
        }
        return all;
    }

    public static ToolResult Ceremony(this Tool tool, params string[] args) => tool.Run(["ceremony", .. args]);
}
