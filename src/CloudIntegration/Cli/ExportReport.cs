using CloudIntegration.KeyStores;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Cli;

/// <summary>What one successful export did. Holds no secret.</summary>
public sealed record ExportResult(
    ExportPlan Plan,
    KeyRecord Key,
    bool Created,
    WrappingPublicKey WrappingKey,
    string KeyStore,
    IReadOnlyList<string> Files);

/// <summary>Tells the operator what was exported and where it went.</summary>
public static class ExportReport
{
    public static void Print(ExportResult result, ToolEnvironment env)
    {
        var plan = result.Plan;
        var key = result.Key;
        env.Out.WriteLine($"{(result.Created ? "generated" : "exported existing")} key '{key.Name}' ({key.Type.Name}, " +
                          $"{key.Protection.Describe()}) for {plan.Provider.Name} with " +
                          plan.Provider.Request(result.WrappingKey, plan.Algorithm).Describe());
        foreach (var path in result.Files) env.Out.WriteLine($"wrote {Path.GetFileName(path)} ({new FileInfo(path).Length} bytes)");
    }
}
