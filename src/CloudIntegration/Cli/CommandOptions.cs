namespace CloudIntegration.Cli;

/// <summary>
/// Every option that more than one command takes, defined once, exactly as the guide names them. Each command lists
/// the ones it accepts (others are refused as unknown); their values become one validated request (Ceremony/*Request.cs).
/// </summary>
public static class CommandOptions
{
    public static readonly OptionSpec Help = new("-h", "help", null, "show this help and exit");
    public static readonly OptionSpec Version = new(null, "version", null, "print the version and exit");
    public static readonly OptionSpec Module = new("-m", "module", "MODULE",
        "the module to use: 1 for the embedded Security World (the default); with a PKCS#11 library, a token's " +
        "position, label or serial (see the info command)");
    public static readonly OptionSpec CardSet = new("-O", "ocs", "CARDSET",
        "protect a new key with operator card set CARDSET, or present its cards to use an existing one");
    public static readonly OptionSpec Softcard = new("-S", "softcard", "SOFTCARD",
        "protect a new key with softcard SOFTCARD, or give its passphrase to use an existing one");
    public static readonly OptionSpec ModuleProtection = new("-M", "module-protection", null,
        "module protection: the key is usable by this module alone (the default)");
    public static readonly OptionSpec AzureKek = new("-a", "azure-kek", "AZUREKEK",
        "microsoft-azure only: the key identifier (kid) of the Key Exchange Key");
    public static readonly OptionSpec KeyType = new("-k", "key-type", "KEYTYPE",
        "the type of a new key (microsoft-azure and google-cloud-key-management choose; the others take AES-256)");
    public static readonly OptionSpec PassphraseFile = new(null, "passphrase-file", "FILE",
        "read passphrases from FILE, one per line in the order asked (softcard; or each card as presented). " +
        "Without it: a no-echo prompt on a terminal, else lines from standard input. Never give them on the command line");
    public static readonly OptionSpec Card = new(null, "card", "PATH",
        "-O only: a card of the set, as a .card file or a directory holding cards of the set; repeat until the " +
        "quorum is met. On a terminal, without enough --card, the tool asks for card paths");

    public static readonly OptionSpec OutputDir = new(null, "output-dir", "DIR",
        "write the provider's files to DIR, which must exist (default: the current directory)");
    public static readonly OptionSpec Json = new(null, "json", null,
        "print the summary and next steps as one JSON object on stdout (diagnostics stay on stderr)");
    public static readonly OptionSpec Pkcs11Library = new(null, "pkcs11-library", "LIB",
        "generate and wrap keys in a token of the PKCS#11 library LIB (an HSM vendor's module) instead of the embedded " +
        "Security World; also CLOUD_INTEGRATION_PKCS11_LIBRARY. -S/-O NAME then select the token labelled NAME");
    public static readonly OptionSpec Pkcs11InitArgs = new(null, "pkcs11-init-args", "TEXT",
        "PKCS#11: the library's initialisation string (CK_C_INITIALIZE_ARGS.pReserved), e.g. NSS's configdir='sql:DIR'; " +
        "also CLOUD_INTEGRATION_PKCS11_INIT_ARGS. Paths and flags only, never a secret (the command line is visible)");
    public static readonly OptionSpec PinFile = new(null, "pin-file", "FILE",
        "PKCS#11: read the token's user PIN from the first line of FILE instead of asking (or pipe it on standard input)");

    /// <summary>The options that choose the key store and unlock its keys (<see cref="Ceremony.KeyStoreInput"/>).</summary>
    public static IReadOnlyList<OptionSpec> KeyStore { get; } =
        [Module, CardSet, Softcard, ModuleProtection, Pkcs11Library, Pkcs11InitArgs, PinFile, PassphraseFile, Card];

    /// <summary>The export's options, in the order -h lists them.</summary>
    public static IReadOnlyList<OptionSpec> Export { get; } =
        [Help, Version, Module, CardSet, Softcard, ModuleProtection, AzureKek, KeyType, OutputDir, Json, Pkcs11Library, Pkcs11InitArgs, PinFile,
         PassphraseFile, Card];
}
