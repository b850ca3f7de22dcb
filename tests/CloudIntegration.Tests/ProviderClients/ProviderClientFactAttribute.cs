using Xunit;

namespace CloudIntegration.Tests.ProviderClients;

/// <summary>
/// A test that drives a provider's own command-line client (gcloud, aws). Skipped where the client is not installed,
/// unless CLOUD_INTEGRATION_REQUIRE_PROVIDER_CLIENTS=1 (set by .ci/run, where both are installed): then a missing client
/// fails the test instead of hiding it.
/// </summary>
public sealed class ProviderClientFactAttribute : FactAttribute
{
    public const string RequireVariable = "CLOUD_INTEGRATION_REQUIRE_PROVIDER_CLIENTS";

    public ProviderClientFactAttribute(string client)
    {
        if (FindOnPath(client) is null && Environment.GetEnvironmentVariable(RequireVariable) != "1")
        {
            Skip = $"{client} is not installed (set {RequireVariable}=1 to make this a failure)";
        }
    }

    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}

/// <summary>The theory form of <see cref="ProviderClientFactAttribute"/>: skipped, or failing, on the same terms.</summary>
public sealed class ProviderClientTheoryAttribute : TheoryAttribute
{
    public ProviderClientTheoryAttribute(string client)
    {
        if (ProviderClientFactAttribute.FindOnPath(client) is null && Environment.GetEnvironmentVariable(ProviderClientFactAttribute.RequireVariable) != "1")
        {
            Skip = $"{client} is not installed (set {ProviderClientFactAttribute.RequireVariable}=1 to make this a failure)";
        }
    }
}
