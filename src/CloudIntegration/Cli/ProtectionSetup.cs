using CloudIntegration.KeyStores.SoftwareWorld;

namespace CloudIntegration.Cli;

/// <summary>How the embedded world unlocks softcard and card-set protection for this run.</summary>
public static class ProtectionSetup
{
    public static IProtectionUnlocker Unlocker(ParsedArguments args, ToolEnvironment env) => new ModuleOnlyUnlocker();
}
