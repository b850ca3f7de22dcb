using CloudIntegration.Ceremony;
using CloudIntegration.Errors;
using CloudIntegration.IO;
using CloudIntegration.KeyStores;
using CloudIntegration.KeyStores.SoftwareWorld;
using CloudIntegration.Providers;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Cli;

/// <summary>The guide's command: generate or find a key, wrap it for a provider, write the provider's files.</summary>
public static class ExportCommand
{
    public static int Run(string[] argv, ToolEnvironment env)
    {
        var providers = ProviderRegistry.For(env.Flavor);
        var args = ParsedArguments.Parse(argv, CommandOptions.Export);
        if (args.Has(CommandOptions.Help))
        {
            env.Out.Write(HelpText.Full(env.ProgramName, providers, Commands.All.Select(c => (c.Verb, c.Summary))));
            return ExitCodes.Success;
        }
        if (args.Has(CommandOptions.Version))
        {
            env.Out.WriteLine($"{env.ProgramName} {ToolEnvironment.Version}");
            return ExitCodes.Success;
        }
        var request = CommandLine.Export(args, providers, env);
        var pinned = args.Value(CommandOptions.ExpectFingerprint) is { } given
            ? PinnedFingerprint.Normalize(given) ?? throw UsageErrors.ExpectedFingerprintMalformed(given)
            : null;
        // Key file, output files and audit record made durable by two syncfs barriers instead of seven fsyncs (IO/DurableBatch).
        using var batch = DurableBatch.Begin();
        ExportResult result;
        try
        {
            result = Export(request, env, pinned);
        }
        finally
        {
            batch.Commit();   // also what a refusal recorded
        }
        ExportReport.Print(result, args.Has(CommandOptions.Json), env);
        return ExitCodes.Success;
    }

    /// <summary>
    /// Runs one validated export: reads the wrapping key once, opens the world and the key store once each, finds or
    /// generates the key, wraps it, writes the provider's files and records it all in the audit trail. A ceremony file
    /// runs each of its exports through here too.
    /// </summary>
    public static ExportResult Export(ExportRequest request, ToolEnvironment env, string? pinnedFingerprint = null)
    {
        var earlierWarnings = env.Diagnostics.Warnings.Count;   // a ceremony file runs several exports in one environment
        var wrappingKey = LoadWrappingKey(request, pinnedFingerprint, env);
        using var world = new WorldSession(request.KeyStore.WorldRoot, env.Diagnostics);
        using var audit = new CeremonyAudit(world, CommandLine.Author(env), env.Diagnostics);
        var wrap = request.Provider.Request(wrappingKey, request.Algorithm);
        return Export(request, wrappingKey, audit,
                      () => KeyStoreSelection.Open(request.KeyStore, world, new Pkcs11Setup.Rehearsal(wrap, request.NewKeyType, request.Provider.Algorithms), env),
                      ownsStore: true, env, earlierWarnings);
    }

    /// <summary>The wrapping key, checked against the provider's rule and, when given, the pinned fingerprint.</summary>
    internal static WrappingPublicKey LoadWrappingKey(ExportRequest request, string? pinnedFingerprint, ToolEnvironment env)
    {
        var diagnostics = env.Diagnostics;
        var wrappingKey = WrappingPublicKey.Load(request.WrapKeyPath);
        request.Provider.CheckWrappingKey(wrappingKey, request.WrapKeyPath);
        if (pinnedFingerprint is not null && wrappingKey.Fingerprint != pinnedFingerprint)
        {
            throw RuntimeErrors.WrappingKeyNotPinned(request.WrapKeyPath, wrappingKey.Fingerprint, pinnedFingerprint);
        }
        // The provider's rules are checked before the key store opens, so a refused combination generates nothing.
        if (request.RequestedKeyType is { } requested) request.Provider.CheckCombination(requested, request.Algorithm, wrappingKey, request.AzureKek);
        diagnostics.Fact($"wrapping key: RSA-{wrappingKey.Bits} ({wrappingKey.Format}), SHA-256 fingerprint {wrappingKey.Fingerprint}");
        foreach (var warning in request.Provider.Warnings(request.Algorithm)) diagnostics.Warn(warning);
        if (!Directory.Exists(request.OutputDirectory)) throw RuntimeErrors.OutputFailed(request.OutputDirectory, "the output directory does not exist");
        return wrappingKey;
    }

    /// <summary>
    /// One export against a store that <paramref name="openStore"/> gives (a ceremony opens each store once, so each
    /// protection is unlocked once, and passes the same one every time).
    /// </summary>
    internal static ExportResult Export(ExportRequest request, WrappingPublicKey wrappingKey, CeremonyAudit audit,
                                        Func<IKeyStore> openStore, bool ownsStore, ToolEnvironment env, int earlierWarnings)
    {
        var diagnostics = env.Diagnostics;
        // Every export that gets as far as the key store is recorded in the audit trail, refused ones included.
        var exportAudit = new ExportAudit(request, wrappingKey, audit);
        var wrap = request.Provider.Request(wrappingKey, request.Algorithm);
        IKeyStore? owned = null;
        try
        {
            var store = openStore();
            if (ownsStore) owned = store;
            exportAudit.Opened(store);
            var (key, created) = FindOrGenerate(store, request, wrappingKey);
            exportAudit.Found(key, created);
            try
            {
                var (files, construction) = Wrap(store, key, request, wrap, env);
                return new ExportResult(request, key, created, wrappingKey, store.Description, files)
                {
                    Warnings = [.. diagnostics.Warnings.Skip(earlierWarnings)],
                    AuditEntry = exportAudit.Exported(files, construction),
                    Construction = construction,
                    AuditLog = audit.Trail.LogPath,
                };
            }
            catch (Exception original) when (created)
            {
                // A failed run leaves no key behind: the key was generated for this export and nothing holds it yet.
                try
                {
                    store.Destroy(key);
                }
                catch (ToolError cleanup)
                {
                    throw RuntimeErrors.Runtime($"{original.Message}; also, the key generated for this export could not be removed ({cleanup.Message})", original);
                }
                throw;
            }
        }
        catch (ToolError e)
        {
            exportAudit.Refused(e);
            throw;
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>The files written, and which construction the key store ran where it chose one (a PKCS#11 token).</summary>
    static (IReadOnlyList<WrittenFile> Files, string? Construction) Wrap(IKeyStore store, KeyRecord key, ExportRequest request, WrapRequest wrap, ToolEnvironment env)
    {
        if (WrappingStrength.Warning(key.Type, wrap.WrappingKey) is { } weak) env.Diagnostics.Warn(weak);
        var wrapped = store.Wrap(key, wrap);
        var context = new ExportContext(request.KeyName, key.Type, request.Algorithm, request.AzureKek,
                                        $"{env.ProgramName} {ToolEnvironment.Version}; {store.Description}");
        return (OutputSet.Write(request.OutputDirectory, request.Provider.Format(context, wrapped)), wrapped.Construction);
    }

    static (KeyRecord Key, bool Created) FindOrGenerate(IKeyStore store, ExportRequest request, WrappingPublicKey wrappingKey)
    {
        if (store.Find(request.KeyName) is { } existing)
        {
            CheckFits(existing, request, wrappingKey);
            return (existing, false);
        }
        request.Provider.CheckCombination(request.NewKeyType, request.Algorithm, wrappingKey, request.AzureKek);
        var (key, created) = store.GetOrGenerate(request.KeyName, request.NewKeyType, request.Protection);
        if (!created) CheckFits(key, request, wrappingKey);
        return (key, created);
    }

    /// <summary>An existing key is re-exported only where its type and protection fit what was asked.</summary>
    internal static void CheckFits(KeyRecord key, ExportRequest request, WrappingPublicKey? wrappingKey)
    {
        if (request.RequestedKeyType is { } requested && requested != key.Type)
        {
            throw UsageErrors.StoredKeyTypeMismatch(key.Name.Value, key.Type.Name, requested.Name);
        }
        var provider = request.Provider;
        if (!provider.KeyTypes.Contains(key.Type))
        {
            throw UsageErrors.StoredKeyNotForProvider(key.Name.Value, key.Type.Name, provider.Name, provider.KeyTypes.Select(t => t.Name));
        }
        if (key.Protection != request.Protection)
        {
            throw UsageErrors.KeyProtectedOtherwise(key.Name.Value, key.Protection.DescribeKey(), request.Protection.DescribeAsGiven(), key.Protection.HowToGive());
        }
        if (wrappingKey is not null) provider.CheckCombination(key.Type, request.Algorithm, wrappingKey, request.AzureKek);
    }
}
