using CloudIntegration.Errors;

namespace CloudIntegration.Providers;

/// <summary>The providers, in the guide's order. cssadmin (v2.2.1) differs only in Google Cloud KMS's algorithm.</summary>
public sealed class ProviderRegistry
{
    ProviderRegistry(IReadOnlyList<Provider> all) => All = all;

    public IReadOnlyList<Provider> All { get; }

    public static ProviderRegistry For(ProgramFlavor flavor) => new(
    [
        new Aws(),
        new GoogleComputeEngine(),
        new GoogleCloudKms(singleAlgorithm: flavor == ProgramFlavor.Cssadmin),
        new MicrosoftAzure(),
        new Salesforce(),
        new OracleCloud(),
        new HashiCorpVault(),
    ]);

    public Provider Parse(string name) =>
        All.FirstOrDefault(p => p.Name == name) ?? throw UsageErrors.UnknownProvider(name, All.Select(p => p.Name));
}

public enum ProgramFlavor { CloudIntegrationTool, Cssadmin }
