using CloudIntegration.Errors;
using CloudIntegration.Keys;
using CloudIntegration.Providers;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Ceremony;

/// <summary>One export as a person wrote it (command line or ceremony file), before any check: names and paths as text.</summary>
public sealed record ExportInput
{
    public required string Provider { get; init; }
    public required string KeyName { get; init; }
    public required string WrapKey { get; init; }
    public string? WrapAlgorithm { get; init; }
    public string? KeyType { get; init; }
    public string? AzureKek { get; init; }
    /// <summary>Where the provider's files go; null for the base directory.</summary>
    public string? OutputDirectory { get; init; }
    public KeyStoreInput KeyStore { get; init; } = new();
}

/// <summary>
/// One export, validated once before any key is generated or any file is touched: the provider, key, algorithm and
/// options parsed and checked against each other, every path absolute. Immutable; every command and the ceremony
/// file build the same request, and the export runs from it alone. Usage errors (exit 2) are found in the order a
/// person would fix them: provider, key name, key type, algorithm, options.
/// </summary>
public sealed record ExportRequest
{
    public required Provider Provider { get; init; }
    public required KeyName KeyName { get; init; }
    /// <summary>The key type asked for with -k; null: the provider's default for a new key, any fitting type for an existing one.</summary>
    public KeyType? RequestedKeyType { get; init; }
    public required WrapAlgorithm Algorithm { get; init; }
    /// <summary>The wrapping key file as given (for the next steps, which the operator runs from the same place).</summary>
    public required string WrapKeyArgument { get; init; }
    public required string WrapKeyPath { get; init; }
    public string? AzureKek { get; init; }
    public required string OutputDirectory { get; init; }
    public required KeyStoreRequest KeyStore { get; init; }

    public Protection Protection => KeyStore.Protection;

    /// <summary>The key type a new key gets.</summary>
    public KeyType NewKeyType => RequestedKeyType ?? Provider.DefaultKeyType;

    public static ExportRequest Validate(ExportInput input, ProviderRegistry providers, RequestContext context)
    {
        var provider = providers.Parse(input.Provider);
        var keyName = Keys.KeyName.Parse(input.KeyName);

        KeyType? keyType = null;
        if (input.KeyType is { } typeName)
        {
            keyType = Keys.KeyType.Parse(typeName);
            if (!provider.KeyTypes.Contains(keyType))
            {
                throw UsageErrors.KeyTypeNotSupported(keyType.Name, provider.Name, provider.KeyTypes.Select(t => t.Name));
            }
        }
        var algorithm = provider.ParseAlgorithm(input.WrapAlgorithm);
        var azureKek = ParseAzureKek(provider, input.AzureKek);
        var keyStore = KeyStoreRequest.Validate(input.KeyStore, context);
        if (input.WrapKey.Length == 0 || input.WrapKey.Any(char.IsControl)) throw UsageErrors.InvalidPath("wrapKey", input.WrapKey);

        return new ExportRequest
        {
            Provider = provider,
            KeyName = keyName,
            RequestedKeyType = keyType,
            Algorithm = algorithm,
            WrapKeyArgument = input.WrapKey,
            WrapKeyPath = Path.GetFullPath(input.WrapKey, context.BaseDirectory),
            AzureKek = azureKek,
            OutputDirectory = KeyStoreRequest.FullPath(input.OutputDirectory, "--output-dir", context) ?? Path.GetFullPath(context.BaseDirectory),
            KeyStore = keyStore,
        };
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
}
