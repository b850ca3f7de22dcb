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
        if (given is { Length: 0 }) throw UsageErrors.Usage("--pkcs11-library needs the path of a PKCS#11 library");
        var chosen = given ?? env.Variable(LibraryVariable);
        return string.IsNullOrEmpty(chosen) ? null : Path.GetFullPath(chosen, env.WorkingDirectory);
    }

    /// <summary>Options that only make sense with a token are refused, not ignored, without one.</summary>
    public static void RejectWithoutLibrary(ParsedArguments args)
    {
        if (args.Has(ExportOptions.PinFile)) throw UsageErrors.Pkcs11OptionWithoutLibrary("--pin-file");
    }

    /// <summary>The token an export runs against, with the provider's algorithms for advice and the wrap to rehearse.</summary>
    public static IKeyStore Open(string library, ExportPlan plan, ToolEnvironment env) =>
        Open(env, plan.Arguments, pin => new Pkcs11StoreOptions(
            library,
            Selector(plan.ModuleSelector, plan.Protection),
            plan.Protection,
            pin,
            plan.Provider.Algorithms,
            Rehearsal(plan, env),
            env.Err));

    /// <summary>The token another command (keys list/show/destroy) runs against, chosen by the same options.</summary>
    public static IKeyStore Open(string library, ParsedArguments args, ToolEnvironment env)
    {
        var protection = args.Value(ExportOptions.Softcard) is { } softcard ? Protection.Softcard(softcard)
            : args.Value(ExportOptions.CardSet) is { } cardSet ? Protection.CardSet(cardSet)
            : Protection.Module;
        return Open(env, args, pin => new Pkcs11StoreOptions(
            library, Selector(args.Value(ExportOptions.Module), protection), protection, pin, [], null, env.Err));
    }

    static IKeyStore Open(ToolEnvironment env, ParsedArguments args, Func<Func<string, byte[]>, Pkcs11StoreOptions> options)
    {
        // Standard input is read only if the token asks for a PIN: a terminal prompt, or lines when redirected.
        SecretSource? secrets = null;
        try
        {
            return Pkcs11KeyStore.Open(options(prompt =>
                (secrets ??= SecretSource.Open(args.Value(ExportOptions.PinFile), env.In, env.InputIsTerminal, env.Err)).Read(prompt)));
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
    static TokenSelector Selector(string? module, Protection protection) => protection.Kind switch
    {
        ProtectionKind.Softcard => new TokenSelector(module, protection.Name, "-S/--softcard"),
        ProtectionKind.CardSet => new TokenSelector(module, protection.Name, "-O/--ocs"),
        ProtectionKind.Module => new TokenSelector(module, null, ""),
        _ => throw new ArgumentOutOfRangeException(nameof(protection), protection.Kind, "unknown protection kind"),
    };
}
