using CloudIntegration.KeyStores;
using CloudIntegration.KeyStores.SoftwareWorld;

namespace CloudIntegration.Cli;

/// <summary>Chooses and opens the key store a command runs against.</summary>
public static class KeyStoreSelection
{
    public static string WorldRoot(ToolEnvironment env) =>
        env.Variable(WorldDirectory.EnvironmentVariable) is { Length: > 0 } configured
            ? Path.GetFullPath(configured, env.WorkingDirectory)
            : WorldDirectory.DefaultRoot();

    public static IKeyStore Open(ExportPlan plan, ToolEnvironment env)
    {
        if (Pkcs11Setup.Library(plan.Arguments, env) is { } library) return Pkcs11Setup.Open(library, plan, env);
        Pkcs11Setup.RejectWithoutLibrary(plan.Arguments);
        return SoftwareWorld.Open(WorldRoot(env), plan.ModuleNumber(), ProtectionSetup.Unlocker(plan.Arguments, env), env.Err);
    }

    /// <summary>For commands other than the export (keys list/show/destroy): the same choice, from their options.</summary>
    public static IKeyStore Open(int module, ParsedArguments arguments, ToolEnvironment env)
    {
        if (Pkcs11Setup.Library(arguments, env) is { } library) return Pkcs11Setup.Open(library, arguments, env);
        Pkcs11Setup.RejectWithoutLibrary(arguments);
        return SoftwareWorld.Open(WorldRoot(env), module, ProtectionSetup.Unlocker(arguments, env), env.Err);
    }
}
