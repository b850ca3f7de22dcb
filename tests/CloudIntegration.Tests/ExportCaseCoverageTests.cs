using CloudIntegration.Providers;
using CloudIntegration.Tests.Cases;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>
/// The export table (Cases/ExportCases.cs) against the provider registry, NSec style: every (provider, key type,
/// algorithm) that either flavour of the tool accepts has a case, and every case is one the tool accepts. Only the
/// registry's public surface is used (providers, their key types and algorithms), so a new provider, key type or
/// padding fails here until its case is in the table.
/// </summary>
public sealed class ExportCaseCoverageTests
{
    [Fact]
    public void Every_combination_the_registry_accepts_has_a_case_in_the_export_table()
    {
        var missing = Accepted().Except(Covered()).Order().ToList();
        Assert.True(missing.Count == 0, "accepted by the registry but not in ExportCases.All:\n  " + string.Join("\n  ", missing));
    }

    [Fact]
    public void Every_case_in_the_export_table_is_a_combination_the_registry_accepts()
    {
        var unknown = Covered().Except(Accepted()).Order().ToList();
        Assert.True(unknown.Count == 0, "in ExportCases.All but not accepted by the registry:\n  " + string.Join("\n  ", unknown));
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
