using System.Globalization;
using CloudIntegration.Errors;
using CloudIntegration.Keys;
using CloudIntegration.Providers;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Cli;

/// <summary>
/// An export as the command line asks for it, fully validated before any key is generated or any file is touched.
/// Usage errors (exit 2) are found here in the order a user would fix them: provider, key name, key type, algorithm,
/// options.
/// </summary>
public sealed record ExportPlan(
    Provider Provider,
    KeyName KeyName,
    KeyType? RequestedKeyType,
    WrapAlgorithm Algorithm,
    string WrapKeyPath,
    string? AzureKek,
    string? ModuleSelector,
    Protection Protection,
    ParsedArguments Arguments)
{
    public static ExportPlan FromArguments(ParsedArguments args, ProviderRegistry providers, string usage)
    {
        var positionals = args.Positionals;
        if (positionals.Count < 3)
        {
            string[] names = ["provider", "keyName", "wrapKey"];
            throw UsageErrors.MissingArguments(usage, names.Skip(positionals.Count));
        }
        if (positionals.Count > 4) throw UsageErrors.TooManyArguments(positionals[4]);

        var provider = providers.Parse(positionals[0]);
        var keyName = KeyName.Parse(positionals[1]);

        KeyType? keyType = null;
        if (args.Value(ExportOptions.KeyType) is { } typeName)
        {
            keyType = KeyType.Parse(typeName);
            if (!provider.KeyTypes.Contains(keyType))
            {
                throw UsageErrors.KeyTypeNotSupported(keyType.Name, provider.Name, provider.KeyTypes.Select(t => t.Name));
            }
        }

        var algorithm = provider.ParseAlgorithm(positionals.Count == 4 ? positionals[3] : null);
        var azureKek = ParseAzureKek(provider, args.Value(ExportOptions.AzureKek));

        return new ExportPlan(provider, keyName, keyType, algorithm, positionals[2], azureKek,
                              ParseSelector(args.Value(ExportOptions.Module)), ParseProtection(args), args);
    }

    static string? ParseAzureKek(Provider provider, string? kek)
    {
        if (!provider.NeedsAzureKek)
        {
            if (kek is not null) throw UsageErrors.AzureKekNotAllowed(provider.Name);
            return null;
        }
        if (kek is null) throw UsageErrors.AzureKekMissing(provider.Name);
        if (!MicrosoftAzure.IsKeyIdentifier(kek, out _, out _)) throw UsageErrors.AzureKekMalformed(kek);
        return kek;
    }

    /// <summary>-m as given: a module number, or for a PKCS#11 library also a token label or serial.</summary>
    static string? ParseSelector(string? module)
    {
        if (module is not null && (module.Length == 0 || module.Any(char.IsControl))) throw UsageErrors.InvalidModule(module);
        return module;
    }

    /// <summary>An embedded-world module number: there -m must be a number (1 when not given).</summary>
    internal static int ParseModule(string? module)
    {
        if (module is null) return 1;
        if (!int.TryParse(module, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            throw UsageErrors.InvalidModule(module);
        }
        return number;
    }

    /// <summary>The embedded world's module number; a usage error when -m is not a number.</summary>
    public int ModuleNumber() => ParseModule(ModuleSelector);

    /// <summary>-m as a number for reports and the audit trail (1 when not given); null for a token chosen by label or serial.</summary>
    public int? Module =>
        ModuleSelector is null ? 1
        : int.TryParse(ModuleSelector, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 ? number
        : null;

    static Protection ParseProtection(ParsedArguments args)
    {
        var chosen = new List<(string Option, Protection Protection)>();
        if (args.Value(ExportOptions.CardSet) is { } cardSet) chosen.Add(("-O/--ocs", Protection.CardSet(cardSet)));
        if (args.Value(ExportOptions.Softcard) is { } softcard) chosen.Add(("-S/--softcard", Protection.Softcard(softcard)));
        if (args.Has(ExportOptions.ModuleProtection)) chosen.Add(("-M/--module-protection", Protection.Module));
        if (chosen.Count > 1) throw UsageErrors.ConflictingProtection(chosen[0].Option, chosen[1].Option);
        if (chosen.Count == 0) return Protection.Module;
        var protection = chosen[0].Protection;
        if (protection.Name is { } name && !KeyName.IsValid(name))
        {
            throw UsageErrors.Usage($"invalid {chosen[0].Option} name '{ErrorText.Shorten(name)}' (expected 1 to 64 characters of A-Z a-z 0-9 . _ -)");
        }
        return protection;
    }
}
