using CloudIntegration.Ceremony;
using CloudIntegration.Credentials;
using CloudIntegration.KeyStores.SoftwareWorld;
using CloudIntegration.KeyStores.SoftwareWorld.Protections;

namespace CloudIntegration.Cli;

/// <summary>How the embedded world unlocks softcard and card-set protection for this run.</summary>
public static class ProtectionSetup
{
    /// <summary>
    /// The unlocker for a command's key store. Passphrases are read only when a softcard or card set actually needs
    /// one, so a module-protected export never touches standard input.
    /// </summary>
    public static IProtectionUnlocker Unlocker(KeyStoreRequest request, ToolEnvironment env) =>
        new ProtectionUnlocker(
            request.WorldRoot,
            () => OpenSecrets(request.PassphraseFile, env),
            request.Cards,
            CardPathPrompt(env),
            env.Diagnostics);

    /// <summary>The passphrase source: the named file (an absolute path), else a terminal prompt, else lines of standard input.</summary>
    public static SecretSource OpenSecrets(string? passphraseFile, ToolEnvironment env) =>
        SecretSource.Open(passphraseFile, env.In, env.InputIsTerminal, env.Err);

    /// <summary>On a terminal, asks for the path of the next card (echoed: a path is not a secret); otherwise null.</summary>
    public static Func<string, string?>? CardPathPrompt(ToolEnvironment env) =>
        env.InputIsTerminal
            ? prompt =>
            {
                env.Err.Write(prompt + ": ");
                env.Err.Flush();
                var line = env.In.ReadLine();
                return string.IsNullOrWhiteSpace(line) ? null : Path.GetFullPath(line.Trim(), env.WorkingDirectory);
            }
            : null;
}
