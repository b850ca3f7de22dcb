using CloudIntegration.Ceremony;
using CloudIntegration.KeyStores;
using CloudIntegration.KeyStores.SoftwareWorld;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Cli;

/// <summary>Chooses and opens the key store a command runs against: once per command, from its validated request.</summary>
public static class KeyStoreSelection
{
    public static string WorldRoot(ToolEnvironment env) =>
        env.Variable(WorldDirectory.EnvironmentVariable) is { Length: > 0 } configured
            ? Path.GetFullPath(configured, env.WorkingDirectory)
            : WorldDirectory.DefaultRoot();

    /// <summary>
    /// The PKCS#11 token or the embedded world the request names. The world comes from the command's
    /// <paramref name="world"/>, shared with its audit trail. <paramref name="rehearsal"/>: the export's wrap, which a
    /// token tries on a throwaway key before anything is generated (the other commands wrap nothing).
    /// </summary>
    public static IKeyStore Open(KeyStoreRequest request, WorldSession world, Pkcs11Setup.Rehearsal? rehearsal, ToolEnvironment env) =>
        request.Pkcs11Library is { } library
            ? Pkcs11Setup.Open(library, request, rehearsal, env)
            : SoftwareWorld.Open(world, request.WorldModule, ProtectionSetup.Unlocker(request, env));
}
