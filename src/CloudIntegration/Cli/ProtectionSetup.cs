using CloudIntegration.Credentials;
using CloudIntegration.Errors;
using CloudIntegration.KeyStores.SoftwareWorld;
using CloudIntegration.KeyStores.SoftwareWorld.Protections;

namespace CloudIntegration.Cli;

/// <summary>How the embedded world unlocks softcard and card-set protection for this run.</summary>
public static class ProtectionSetup
{
    /// <summary>
    /// The unlocker for an export. Passphrases are read only when a softcard or card set actually needs one, so a
    /// module-protected export never touches standard input.
    /// </summary>
    public static IProtectionUnlocker Unlocker(ParsedArguments args, ToolEnvironment env)
    {
        var softcard = args.Has(ExportOptions.Softcard);
        var cardSet = args.Has(ExportOptions.CardSet);
        if (args.Has(ExportOptions.Card) && !cardSet) throw UsageErrors.OptionNeedsProtection("--card", "-O CARDSET");
        if (args.Has(ExportOptions.PassphraseFile) && !softcard && !cardSet)
        {
            throw UsageErrors.OptionNeedsProtection("--passphrase-file", "-S SOFTCARD or -O CARDSET");
        }
        var passphraseFile = args.Value(ExportOptions.PassphraseFile);
        return new ProtectionUnlocker(
            KeyStoreSelection.WorldRoot(env),
            () => OpenSecrets(passphraseFile, env),
            [.. args.Values(ExportOptions.Card).Select(p => Path.GetFullPath(p, env.WorkingDirectory))],
            CardPathPrompt(env),
            env.Err);
    }

    /// <summary>The passphrase source: the named file, else a terminal prompt, else lines of standard input.</summary>
    public static SecretSource OpenSecrets(string? passphraseFile, ToolEnvironment env) =>
        SecretSource.Open(passphraseFile is null ? null : Path.GetFullPath(passphraseFile, env.WorkingDirectory),
                          env.In, env.InputIsTerminal, env.Err);

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
