using System.Text;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>
/// The export table, one test class per key store: xUnit runs test classes in parallel (rows of one theory run one
/// after another), and nearly all of a case's time is spent waiting for child processes (openssl, Python, the tool
/// against a token) and fsyncs, so the stores overlap even on two cores.
/// </summary>
public static class ExportTableTests
{
    public sealed class WorldModule : ExportTable<SoftwareWorldModule>;
    public sealed class WorldSoftcard : ExportTable<SoftwareWorldSoftcard>;
    public sealed class WorldCardSet : ExportTable<SoftwareWorldCardSet>;
    public sealed class SoftHsm : ExportTable<SoftHsmToken>;
    public sealed class Nss : ExportTable<NssToken>;
}

/// <summary>
/// Every case the store runs (<see cref="KeyStoreUnderTest.Cases"/>: the whole table, or its cover): export a new key,
/// have openssl import it as the provider would, export the same key again and get the same plaintext, and find that
/// plaintext nowhere on disk.
/// </summary>
public abstract class ExportTable<TStore> where TStore : KeyStoreUnderTest
{
    /// <summary>By name, so that each row is a test of its own that a filter can pick (e.g. DisplayName~nss/softoken).</summary>
    public static TheoryData<string, string> Cases()
    {
        var store = KeyStoreUnderTest.All.OfType<TStore>().Single();
        var data = new TheoryData<string, string>();
        foreach (var c in store.Cases) data.Add(store.Name, c.ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Export_is_imported_by_the_provider_and_re_export_gives_the_same_key(string storeName, string caseName)
    {
        var store = KeyStoreUnderTest.All.Single(s => s.Name == storeName);
        var c = ExportCases.All.Single(e => e.ToString() == caseName);
        using var scratch = new Scratch();
        var tool = store.Prepare(scratch);
        var pair = ProviderKeyPair.Get(c.WrappingBits);
        var wrapKey = pair.WrapKeyFile(c.Form);

        var first = tool.Run(c.Arguments("ceremony-key_1", wrapKey));
        if (store.ExpectedError(c) is { } expected)
        {
            Assert.Equal(1, first.ExitCode);
            Assert.Contains(expected, first.Stderr);
            Assert.Empty(Directory.GetFiles(tool.WorkingDirectory));
            return;
        }
        Assert.True(first.ExitCode == 0, first.ToString());
        var plaintext = ProviderOracle.Import(c, tool.WorkingDirectory, "ceremony-key_1", pair);

        // Re-export into a fresh directory: same material, different ciphertext (fresh OAEP seed and ephemeral key).
        var firstFiles = FilesByName(tool.WorkingDirectory);
        foreach (var f in Directory.GetFiles(tool.WorkingDirectory)) File.Delete(f);
        var second = tool.Run(c.Arguments("ceremony-key_1", wrapKey));
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("exported existing key", second.Stdout);
        Assert.Equal(plaintext, ProviderOracle.Import(c, tool.WorkingDirectory, "ceremony-key_1", pair));
        // File by file, by name (a directory lists in no fixed order, and on tmpfs Salesforce's hash comes first): every
        // file that carries ciphertext is new; Salesforce's hash of the same secret is the same.
        var secondFiles = FilesByName(tool.WorkingDirectory);
        Assert.Equal(firstFiles.Keys, secondFiles.Keys);
        foreach (var (name, content) in firstFiles)
        {
            if (name.EndsWith("-hash", StringComparison.Ordinal)) Assert.Equal(content, secondFiles[name]);
            else Assert.False(content.AsSpan().SequenceEqual(secondFiles[name]), $"{name} is byte for byte the same after a re-export");
        }

        foreach (var directory in store.StorageDirectories(tool).Append(tool.WorkingDirectory))
        {
            PlaintextSearch.AssertAbsent(directory, plaintext);
        }
    }

    static SortedDictionary<string, byte[]> FilesByName(string directory) =>
        new(Directory.GetFiles(directory).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes), StringComparer.Ordinal);
}
