using CloudIntegration.Credentials;
using CloudIntegration.Errors;
using CloudIntegration.Keys;
using CloudIntegration.KeyStores;
using CloudIntegration.KeyStores.Pkcs11;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Cli;

/// <summary>How a command reaches a PKCS#11 token: which library, which token, and where the PIN comes from.</summary>
public static class Pkcs11Setup
{
    public const string LibraryVariable = "CLOUD_INTEGRATION_PKCS11_LIBRARY";

    /// <summary>The library to use, the option winning over the environment; null for the embedded world.</summary>
    public static string? Library(ParsedArguments args, ToolEnvironment env)
    {
        var given = args.Value(ExportOptions.Pkcs11Library);
        if (given is { Length: 0 }) throw Fail.Usage("--pkcs11-library needs the path of a PKCS#11 library");
        var chosen = given ?? env.Variable(LibraryVariable);
        return string.IsNullOrEmpty(chosen) ? null : Path.GetFullPath(chosen, env.WorkingDirectory);
    }

    /// <summary>Options that only make sense with a token are refused, not ignored, without one.</summary>
    public static void RejectWithoutLibrary(ParsedArguments args)
    {
        if (args.Has(ExportOptions.PinFile)) throw Fail.Pkcs11OptionWithoutLibrary("--pin-file");
    }

    public static IKeyStore Open(string library, ExportPlan plan, ToolEnvironment env)
    {
        // Standard input is read only if the token asks for a PIN: a terminal prompt, or lines when redirected.
        SecretSource? secrets = null;
        try
        {
            var options = new Pkcs11StoreOptions(
                library,
                Selector(plan),
                plan.Protection,
                prompt => (secrets ??= SecretSource.Open(plan.Arguments.Value(ExportOptions.PinFile), env.In, env.InputIsTerminal, env.Err)).Read(prompt),
                plan.Provider.TakesWrapAlgorithm ? plan.Provider.WrapAlgorithms : [plan.Provider.ImplicitAlgorithm!],
                Rehearsal(plan, env),
                env.Err);
            return Pkcs11KeyStore.Open(options);
        }
        finally
        {
            secrets?.Dispose();
        }
    }

    /// <summary>
    /// The wrap the export will ask for. The export command has already read and checked the wrapping key file; it is
    /// read again here (it is small) so that the token can try the wrap on a throwaway key before generating anything.
    /// </summary>
    static WrapRequest Rehearsal(ExportPlan plan, ToolEnvironment env) =>
        plan.Provider.Request(WrappingPublicKey.Load(Path.Combine(env.WorkingDirectory, plan.WrapKeyPath)), plan.Algorithm);

    /// <summary>
    /// -S and -O name the token (vendors present softcards and card sets as tokens); the key is recorded with that
    /// protection. -m may be given as well, but must then select the same token.
    /// </summary>
    static TokenSelector Selector(ExportPlan plan) => plan.Protection.Kind switch
    {
        ProtectionKind.Softcard => new TokenSelector(plan.ModuleSelector, plan.Protection.Name, "-S/--softcard"),
        ProtectionKind.CardSet => new TokenSelector(plan.ModuleSelector, plan.Protection.Name, "-O/--ocs"),
        _ => new TokenSelector(plan.ModuleSelector, null, ""),
    };
}
