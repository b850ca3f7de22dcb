using CloudIntegration.Ceremony;
using CloudIntegration.Credentials;
using CloudIntegration.Keys;
using CloudIntegration.KeyStores;
using CloudIntegration.KeyStores.Pkcs11;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Cli;

/// <summary>How a command reaches a PKCS#11 token: which library, which token, and where the PIN comes from.</summary>
public static class Pkcs11Setup
{
    public const string LibraryVariable = "CLOUD_INTEGRATION_PKCS11_LIBRARY";
    public const string InitArgsVariable = "CLOUD_INTEGRATION_PKCS11_INIT_ARGS";

    /// <summary>
    /// The wrap an export will ask for, with the wrapping key the export already read and checked, and the provider's
    /// other algorithms, to say which would work when the token refuses this one.
    /// </summary>
    public sealed record Rehearsal(WrapRequest Request, KeyType Target, IReadOnlyList<WrapAlgorithm> Alternatives);

    public static IKeyStore Open(string library, KeyStoreRequest request, Rehearsal? rehearsal, ToolEnvironment env)
    {
        // Standard input is read only if the token asks for a PIN: a terminal prompt, or lines when redirected.
        SecretSource? secrets = null;
        try
        {
            return Pkcs11KeyStore.Open(new Pkcs11StoreOptions(
                library,
                Selector(request.Module, request.Protection),
                request.Protection,
                prompt => (secrets ??= SecretSource.Open(request.PinFile, env.In, env.InputIsTerminal, env.Err)).Read(prompt),
                rehearsal?.Alternatives ?? [],
                rehearsal is null ? null : new WrapRehearsal(rehearsal.Request, rehearsal.Target),
                env.Diagnostics,
                request.Pkcs11InitArgs));
        }
        finally
        {
            secrets?.Dispose();
        }
    }

    /// <summary>
    /// -S and -O name the token (vendors present softcards and card sets as tokens); the key is recorded with that
    /// protection. -m may be given as well, but must then select the same token.
    /// </summary>
    static TokenSelector Selector(ModuleSelector? module, Protection protection) => protection.Kind switch
    {
        ProtectionKind.Softcard => new TokenSelector(module, protection.Name, "-S/--softcard"),
        ProtectionKind.CardSet => new TokenSelector(module, protection.Name, "-O/--ocs"),
        ProtectionKind.Module => new TokenSelector(module, null, ""),
        _ => throw new ArgumentOutOfRangeException(nameof(protection), protection.Kind, "unknown protection kind"),
    };
}
