using CloudIntegration.Ceremony;
using CloudIntegration.Errors;
using CloudIntegration.Providers;

namespace CloudIntegration.Cli;

/// <summary>
/// Turns parsed arguments into the one validated request each command runs from. The command line only maps options
/// to the request's input fields; every check lives in the request (so a ceremony file gets the same ones).
/// </summary>
public static class CommandLine
{
    public static RequestContext Context(ToolEnvironment env) =>
        new(env.WorkingDirectory, KeyStoreSelection.WorldRoot(env), env.Variable(Pkcs11Setup.LibraryVariable))
        {
            Pkcs11InitArgsFromEnvironment = env.Variable(Pkcs11Setup.InitArgsVariable),
        };

    public static KeyStoreRequest KeyStore(ParsedArguments args, ToolEnvironment env) =>
        KeyStoreRequest.Validate(KeyStoreInputOf(args), Context(env));

    /// <summary>The export's positionals (provider keyName wrapKey [wrapAlg]) and options, validated once.</summary>
    public static ExportRequest Export(ParsedArguments args, ProviderRegistry providers, ToolEnvironment env)
    {
        var positionals = args.Positionals;
        if (positionals.Count < 3)
        {
            string[] names = ["provider", "keyName", "wrapKey"];
            throw UsageErrors.MissingArguments(HelpText.Usage(env.ProgramName), names.Skip(positionals.Count));
        }
        if (positionals.Count > 4) throw UsageErrors.TooManyArguments(positionals[4]);
        var input = new ExportInput
        {
            Provider = positionals[0],
            KeyName = positionals[1],
            WrapKey = positionals[2],
            WrapAlgorithm = positionals.Count == 4 ? positionals[3] : null,
            KeyType = args.Value(CommandOptions.KeyType),
            AzureKek = args.Value(CommandOptions.AzureKek),
            OutputDirectory = args.Value(CommandOptions.OutputDir),
        };
        // The key store options go through the same validation as every other command's.
        return ExportRequest.Validate(input with { KeyStore = KeyStoreInputOf(args) }, providers, Context(env));
    }

    static KeyStoreInput KeyStoreInputOf(ParsedArguments args) => new()
    {
        Module = args.Value(CommandOptions.Module),
        ModuleProtection = args.Has(CommandOptions.ModuleProtection),
        Softcard = args.Value(CommandOptions.Softcard),
        CardSet = args.Value(CommandOptions.CardSet),
        Pkcs11Library = args.Value(CommandOptions.Pkcs11Library),
        Pkcs11InitArgs = args.Value(CommandOptions.Pkcs11InitArgs),
        PinFile = args.Value(CommandOptions.PinFile),
        PassphraseFile = args.Value(CommandOptions.PassphraseFile),
        Cards = args.Values(CommandOptions.Card),
    };

    public static AuditAuthor Author(ToolEnvironment env) =>
        AuditAuthor.OfThisProcess(env.Variable("SUDO_USER"), $"{env.ProgramName} {ToolEnvironment.Version}");

    /// <summary>The subcommand (the first positional) of a command such as 'keys', and the positionals after it.</summary>
    public static (string Subcommand, IReadOnlyList<string> Arguments) Subcommand(ParsedArguments args, string verb, IReadOnlyList<string> subcommands)
    {
        var positionals = args.Positionals;
        if (positionals.Count == 0 || !subcommands.Contains(positionals[0]))
        {
            throw UsageErrors.BadSubcommand(verb, positionals.Count == 0 ? null : positionals[0], subcommands);
        }
        return (positionals[0], positionals[1..]);
    }
}
