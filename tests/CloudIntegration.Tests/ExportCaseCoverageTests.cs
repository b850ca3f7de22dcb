using CloudIntegration.Providers;
using CloudIntegration.Tests.Cases;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>
/// The export table (Cases/ExportCases.cs) against the provider registry, NSec style: every key type and every algorithm
/// that a provider of either flavour accepts appears in at least one of its cases, and every case is a combination the
/// tool accepts, provider rules included (Provider.CheckCombination with the case's wrapping key). The full product of
/// (provider, key type, algorithm) has grown to several hundred triples, each run against five key stores; the table
/// covers every key type and every algorithm of each provider instead, and each rule has its bad-input case.
/// </summary>
public sealed class ExportCaseCoverageTests
{
    [Fact]
    public void Every_key_type_and_algorithm_a_provider_accepts_has_a_case_in_the_export_table()
    {
        var covered = Covered();
        var pairs = covered.SelectMany(c => new[] { $"{c.Split(' ')[0]} {c.Split(' ')[1]}", $"{c.Split(' ')[0]} {c.Split(' ')[2]}" }).ToHashSet();
        var wanted = Enum.GetValues<ProgramFlavor>()
            .SelectMany(flavor => ProviderRegistry.For(flavor).All)
            .SelectMany(p => p.KeyTypes.Select(t => $"{p.Name} {t.Name}").Concat(Algorithms(p).Select(a => $"{p.Name} {a}")));
        var missing = wanted.Except(pairs).Distinct().Order().ToList();
        Assert.True(missing.Count == 0, "accepted by the registry but in no case of ExportCases.All:\n  " + string.Join("\n  ", missing));
    }

    [Fact]
    public void Every_case_in_the_export_table_is_a_combination_the_registry_accepts()
    {
        var unknown = Covered().Except(Accepted()).Order().ToList();
        Assert.True(unknown.Count == 0, "in ExportCases.All but not accepted by the registry:\n  " + string.Join("\n  ", unknown));
        var providers = ProviderRegistry.For(ProgramFlavor.CloudIntegrationTool);
        // Cases the table expects the embedded world to refuse would be refusals by design (there are none today).
        foreach (var c in ExportCases.All.Where(c => KeyStoreUnderTest.All[0].ExpectedError(c) is null))
        {
            var provider = providers.Parse(c.Provider);
            var wrappingKey = CloudIntegration.Wrapping.WrappingPublicKey.Load(Support.ProviderKeyPair.Get(c.WrappingBits).PublicDer);
            var error = Record.Exception(() => provider.CheckCombination(
                CloudIntegration.Keys.KeyType.Parse(c.KeyType), provider.ParseAlgorithm(c.Algorithm), wrappingKey, c.Kek));
            Assert.True(error is null, $"{c}: {error?.Message}");
        }
    }

    /// <summary>
    /// What the registries of both flavours accept. A provider that takes no algorithm argument counts with the one it
    /// uses (its implicit algorithm): that is what the wire format depends on.
    /// </summary>
    static HashSet<string> Accepted() =>
        Enum.GetValues<ProgramFlavor>()
            .SelectMany(flavor => ProviderRegistry.For(flavor).All)
            .SelectMany(p => p.KeyTypes.SelectMany(type => Algorithms(p).Select(algorithm => Combination(p.Name, type.Name, algorithm))))
            .ToHashSet();

    static HashSet<string> Covered()
    {
        var providers = ProviderRegistry.For(ProgramFlavor.CloudIntegrationTool);
        return ExportCases.All
            .Select(c => Combination(c.Provider, c.KeyType, c.Algorithm ?? Algorithms(providers.Parse(c.Provider)).Single()))
            .ToHashSet();
    }

    static IEnumerable<string> Algorithms(Provider provider) =>
        provider.TakesWrapAlgorithm ? provider.WrapAlgorithms.Select(a => a.Name)
        : provider.ImplicitAlgorithm is { } implicitAlgorithm ? [implicitAlgorithm.Name]
        : throw new InvalidOperationException($"{provider.Name} takes no algorithm and names no implicit one");

    static string Combination(string provider, string keyType, string algorithm) => $"{provider} {keyType} {algorithm}";
}
