using CloudIntegration.Errors;
using CloudIntegration.Keys;
using CloudIntegration.KeyStores;

namespace CloudIntegration.Ceremony;

/// <summary>
/// The key store options as a person wrote them, on the command line or in a ceremony file, before any check:
/// <c>-m</c>, <c>-M</c>/<c>-S</c>/<c>-O</c>, <c>--pkcs11-library</c>, <c>--pin-file</c>, <c>--passphrase-file</c>, <c>--card</c>.
/// </summary>
public sealed record KeyStoreInput
{
    public string? Module { get; init; }
    public bool ModuleProtection { get; init; }
    public string? Softcard { get; init; }
    public string? CardSet { get; init; }
    /// <summary>The library named by the option; an empty string is refused.</summary>
    public string? Pkcs11Library { get; init; }
    /// <summary>The library's initialisation string (CK_C_INITIALIZE_ARGS.pReserved, e.g. NSS's configdir).</summary>
    public string? Pkcs11InitArgs { get; init; }
    public string? PinFile { get; init; }
    public string? PassphraseFile { get; init; }
    public IReadOnlyList<string> Cards { get; init; } = [];
}

/// <summary>
/// Where relative paths and defaults come from when a request is validated: the directory paths are relative to (the
/// working directory, or a ceremony file's), the world directory, and the PKCS#11 library the environment names.
/// </summary>
public sealed record RequestContext(string BaseDirectory, string WorldRoot, string? Pkcs11LibraryFromEnvironment)
{
    /// <summary>CLOUD_INTEGRATION_PKCS11_INIT_ARGS, used when the option does not give the string.</summary>
    public string? Pkcs11InitArgsFromEnvironment { get; init; }
}

/// <summary>
/// Which key store a command runs against and how it unlocks keys, validated once: every option parsed, every path
/// made absolute, every conflict refused. Immutable; holds no secret (only the paths of files that hold them).
/// </summary>
public sealed record KeyStoreRequest
{
    /// <summary>The embedded world's directory. The audit trail lives there whatever the key store.</summary>
    public required string WorldRoot { get; init; }

    /// <summary>The PKCS#11 library (absolute path); null for the embedded world.</summary>
    public string? Pkcs11Library { get; init; }

    /// <summary>The library's initialisation string (NSS's configuration: paths and flags, never a secret); or null.</summary>
    public string? Pkcs11InitArgs { get; init; }

    /// <summary><c>-m</c> as given; null when not given (module 1, or a PKCS#11 library's first token).</summary>
    public ModuleSelector? Module { get; init; }

    /// <summary>The protection of a new key, the one to unlock, or (PKCS#11) the label of the token to use.</summary>
    public Protection Protection { get; init; } = Protection.Module;

    public string? PinFile { get; init; }
    public string? PassphraseFile { get; init; }
    public IReadOnlyList<string> Cards { get; init; } = [];

    /// <summary>The embedded world's module number; only a number selects one there.</summary>
    public int WorldModule => (Module ?? ModuleSelector.Default).Number ?? throw new InvalidOperationException("validated at creation");

    /// <summary>-m as a number for reports and the audit trail (1 when not given); null for a token chosen by label or serial.</summary>
    public int? ModuleNumber => (Module ?? ModuleSelector.Default).Number;

    /// <summary>The one place the key store options are checked, in the order a person would fix them.</summary>
    public static KeyStoreRequest Validate(KeyStoreInput input, RequestContext context)
    {
        var protection = ParseProtection(input);
        if (input.Pkcs11Library is { Length: 0 }) throw UsageErrors.Usage("--pkcs11-library needs the path of a PKCS#11 library");
        var library = input.Pkcs11Library ?? context.Pkcs11LibraryFromEnvironment;
        library = string.IsNullOrEmpty(library) ? null : IsWindowsDllName(library, context.BaseDirectory) ? library : Path.GetFullPath(library, context.BaseDirectory);

        var module = input.Module is { } given ? ModuleSelector.Parse(given) : null;
        // The embedded world's modules are numbered; only a PKCS#11 token is also found by label or serial.
        if (library is null && module is { Number: null }) throw UsageErrors.InvalidModule(module.Text);

        if (input.Cards.Count > 0 && protection.Kind != ProtectionKind.CardSet) throw UsageErrors.OptionNeedsProtection("--card", "-O CARDSET");
        if (input.PassphraseFile is not null && protection.Kind == ProtectionKind.Module)
        {
            throw UsageErrors.OptionNeedsProtection("--passphrase-file", "-S SOFTCARD or -O CARDSET");
        }
        if (library is null && input.PinFile is not null) throw UsageErrors.Pkcs11OptionWithoutLibrary("--pin-file");
        if (library is null && input.Pkcs11InitArgs is not null) throw UsageErrors.Pkcs11OptionWithoutLibrary("--pkcs11-init-args");
        var initArgs = input.Pkcs11InitArgs ?? context.Pkcs11InitArgsFromEnvironment;
        if (library is not null)
        {
            // A token's own login protects its keys; passphrases and cards belong to the embedded world.
            if (input.PassphraseFile is not null) throw UsageErrors.EmbeddedOptionWithLibrary("--passphrase-file");
            if (input.Cards.Count > 0) throw UsageErrors.EmbeddedOptionWithLibrary("--card");
        }

        return new KeyStoreRequest
        {
            WorldRoot = Path.GetFullPath(context.WorldRoot, context.BaseDirectory),
            Pkcs11Library = library,
            Pkcs11InitArgs = library is null || string.IsNullOrEmpty(initArgs) ? null : initArgs,
            Module = module,
            Protection = protection,
            PinFile = FullPath(input.PinFile, "--pin-file", context),
            PassphraseFile = FullPath(input.PassphraseFile, "--passphrase-file", context),
            Cards = [.. input.Cards.Select(c => FullPath(c, "--card", context)!)],
        };
    }

    static Protection ParseProtection(KeyStoreInput input)
    {
        var chosen = new List<(string Option, Protection Protection)>();
        if (input.CardSet is { } cardSet) chosen.Add(("-O/--ocs", Protection.CardSet(cardSet)));
        if (input.Softcard is { } softcard) chosen.Add(("-S/--softcard", Protection.Softcard(softcard)));
        if (input.ModuleProtection) chosen.Add(("-M/--module-protection", Protection.Module));
        if (chosen.Count > 1) throw UsageErrors.ConflictingProtection(chosen[0].Option, chosen[1].Option);
        if (chosen.Count == 0) return Protection.Module;
        var (option, protection) = chosen[0];
        if (protection.Name is { } name && !KeyName.IsValid(name)) throw UsageErrors.InvalidProtectionName(option, name);
        return protection;
    }

    /// <summary>A path option made absolute; an empty path or one with control characters is refused.</summary>
    internal static string? FullPath(string? path, string option, RequestContext context)
    {
        if (path is null) return null;
        if (path.Length == 0 || path.Any(char.IsControl)) throw UsageErrors.InvalidPath(option, path);
        return Path.GetFullPath(path, context.BaseDirectory);
    }

    /// <summary>On Windows a bare DLL name (cknfast.dll) not in the working directory is found as Windows finds DLLs.</summary>
    static bool IsWindowsDllName(string library, string baseDirectory) =>
        OperatingSystem.IsWindows() && Path.GetFileName(library) == library && library.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) &&
        !File.Exists(Path.Combine(baseDirectory, library));
}
