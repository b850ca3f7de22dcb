using CloudIntegration.Ceremony;
using CloudIntegration.Errors;
using CloudIntegration.Keys;
using CloudIntegration.KeyStores.SoftwareWorld;
using CloudIntegration.KeyStores.SoftwareWorld.Protections;
using CloudIntegration.Providers;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Cli;

/// <summary>One export of a checked ceremony: the same validated plan the single export command runs.</summary>
public sealed record PlannedExport(
    CeremonyExportEntry Entry,
    ExportRequest Plan,
    WrappingPublicKey WrappingKey,
    string OutputDirectory,
    IReadOnlyList<string> OutputFiles);

/// <summary>The outcome of checking a ceremony file: every export planned, or every problem found.</summary>
public sealed record CeremonyPlan(CeremonyDocument Document, IReadOnlyList<PlannedExport> Exports, IReadOnlyList<string> Problems)
{
    public bool Passes => Problems.Count == 0;
}

/// <summary>
/// Checks a ceremony file against everything an export would meet, without generating a key or writing a file:
/// each export's provider, key name, type, algorithm and Azure kid (through the same <see cref="ExportPlan"/> the
/// command line builds), its wrapping key (parses, and matches the pinned fingerprint), its output directory, that
/// no two exports write the same file, that each protection exists, and that a key already stored fits. It goes on
/// after a problem, so the operator sees them all at once.
/// </summary>
public static class CeremonyCheck
{
    /// <summary>Options of the ceremony command passed on to every export (the token PIN's source).</summary>
    public sealed record SharedOptions(string? PinFile);

    public static CeremonyPlan Check(CeremonyDocument document, SharedOptions shared, ToolEnvironment env)
    {
        var problems = new List<string>();
        var planned = new List<PlannedExport>();
        var providers = ProviderRegistry.For(env.Flavor);
        var writers = new Dictionary<string, string>(StringComparer.Ordinal);           // output file -> export label
        var keys = new Dictionary<string, (KeyType? Type, Protection Protection, string Label)>(StringComparer.Ordinal);
        var wrappingKeys = new Dictionary<string, (WrappingPublicKey? Key, string? Error)>(StringComparer.Ordinal);
        var worldRoot = KeyStoreSelection.WorldRoot(env);
        var context = new RequestContext(document.Directory, worldRoot, env.Variable(Pkcs11Setup.LibraryVariable));
        using var stored = StoredKeys.Open(worldRoot, env);

        foreach (var entry in document.Exports)
        {
            void Problem(string what) => problems.Add($"{entry.Label}: {what}");

            var wrapKeyPath = document.Resolve(entry.WrappingKey);
            var outputDirectory = document.Resolve(entry.OutputDir);
            ExportRequest? plan = null;
            try
            {
                plan = ExportRequest.Validate(Input(entry, document, shared), providers, context);
            }
            catch (ToolError e)
            {
                Problem(e.Message);
            }

            // Read once per file: a ceremony of many exports usually pins one wrapping key (and the run then imports it once).
            if (!wrappingKeys.TryGetValue(wrapKeyPath, out var loaded))
            {
                try
                {
                    loaded = (WrappingPublicKey.Load(wrapKeyPath), null);
                }
                catch (ToolError e)
                {
                    loaded = (null, e.Message);
                }
                wrappingKeys[wrapKeyPath] = loaded;
            }
            var wrappingKey = loaded.Key;
            if (loaded.Error is { } unreadable) Problem(unreadable);
            var pinned = PinnedFingerprint.Normalize(entry.WrappingKeyFingerprint);
            if (pinned is null)
            {
                Problem($"wrappingKeyFingerprint '{ErrorText.Shorten(entry.WrappingKeyFingerprint)}' is not a SHA-256 fingerprint (expected 64 hex digits)");
            }
            else if (wrappingKey is not null && wrappingKey.Fingerprint != pinned)
            {
                Problem(RuntimeErrors.WrappingKeyNotPinned(wrapKeyPath, wrappingKey.Fingerprint, pinned).Message);
            }

            if (!Directory.Exists(outputDirectory)) Problem($"the output directory {outputDirectory} does not exist");

            if (plan is null) continue;
            if (wrappingKey is not null)
            {
                try
                {
                    plan.Provider.CheckWrappingKey(wrappingKey, wrapKeyPath);
                    plan.Provider.CheckCombination(plan.RequestedKeyType ?? plan.Provider.DefaultKeyType, plan.Algorithm, wrappingKey, plan.AzureKek);
                }
                catch (ToolError e)
                {
                    Problem(e.Message);
                }
            }
            var files = plan.Provider.OutputNames(plan.KeyName).Select(name => Path.Combine(outputDirectory, name)).ToList();
            foreach (var file in files)
            {
                if (!writers.TryAdd(file, entry.Label)) Problem($"writes {file}, which {writers[file]} writes too");
            }

            if (ProtectionProblem(plan.Protection, entry, document, worldRoot) is { } missing) Problem(missing);
            if (keys.TryGetValue(plan.KeyName.Value, out var earlier))
            {
                if (earlier.Protection != plan.Protection)
                {
                    Problem($"asks for {plan.Protection.Describe()}, but {earlier.Label} gives the same key {earlier.Protection.Describe()}");
                }
                if (plan.RequestedKeyType is { } type && earlier.Type is { } first && type != first)
                {
                    Problem($"asks for key type {type.Name}, but {earlier.Label} makes the same key {first.Name}");
                }
                else if (earlier.Type is { } made && !plan.Provider.KeyTypes.Contains(made))
                {
                    Problem($"{plan.Provider.Name} does not import {made.Name}, the type {earlier.Label} makes this key");
                }
            }
            else
            {
                keys[plan.KeyName.Value] = (plan.RequestedKeyType ?? plan.Provider.DefaultKeyType, plan.Protection, entry.Label);
                if (!IsToken(entry) && stored.Fit(plan, wrappingKey) is { } misfit) Problem(misfit);
            }

            if (wrappingKey is not null && pinned == wrappingKey.Fingerprint && Directory.Exists(outputDirectory))
            {
                planned.Add(new PlannedExport(entry, plan, wrappingKey, outputDirectory, files));
            }
        }
        return new CeremonyPlan(document, problems.Count == 0 ? planned : [], problems);
    }

    static bool IsToken(CeremonyExportEntry entry) => entry.Protection.StartsWith("token:", StringComparison.Ordinal);

    /// <summary>The export as the file states it, in the request's input form (paths relative to the file).</summary>
    static ExportInput Input(CeremonyExportEntry entry, CeremonyDocument document, SharedOptions shared)
    {
        var protection = entry.Protection;
        var colon = protection.IndexOf(':');
        var (kind, name) = colon < 0 ? (protection, "") : (protection[..colon], protection[(colon + 1)..]);
        var keyStore = (kind, name.Length > 0) switch
        {
            ("module", _) when colon < 0 => new KeyStoreInput { ModuleProtection = true },
            ("softcard", true) => new KeyStoreInput { Softcard = name },
            ("cardset", true) => new KeyStoreInput { CardSet = name },
            ("token", true) => new KeyStoreInput
            {
                Module = name,
                Pkcs11Library = document.Pkcs11Library is { } library ? document.Resolve(library) : null,
                PinFile = shared.PinFile,
            },
            _ => throw UsageErrors.Usage($"protection '{ErrorText.Shorten(protection)}' is not one of: module, softcard:NAME, cardset:NAME, token:LABEL"),
        };
        return new ExportInput
        {
            Provider = entry.Provider,
            KeyName = entry.KeyName,
            WrapKey = entry.WrappingKey,
            WrapAlgorithm = entry.WrapAlg,
            KeyType = entry.KeyType,
            AzureKek = entry.AzureKek,
            OutputDirectory = entry.OutputDir,
            KeyStore = keyStore,
        };
    }

    static string? ProtectionProblem(Protection protection, CeremonyExportEntry entry, CeremonyDocument document, string worldRoot)
    {
        if (IsToken(entry)) return null;   // the token is found when the library is opened, with its PIN
        try
        {
            return protection.Kind switch
            {
                ProtectionKind.Module => null,
                ProtectionKind.Softcard => Softcard.Load(worldRoot, protection.Name!) is null
                    ? $"softcard '{protection.Name}' does not exist ({Softcard.PathFor(worldRoot, protection.Name!)}; create it with: softcard new {protection.Name})"
                    : null,
                ProtectionKind.CardSet => CardSet.Load(worldRoot, protection.Name!) is null
                    ? $"operator card set '{protection.Name}' does not exist ({CardSet.PathFor(worldRoot, protection.Name!)}; create it with: cardset new {protection.Name})"
                    : null,
                _ => throw new ArgumentOutOfRangeException(nameof(protection), protection.Kind, "unknown protection kind"),
            };
        }
        catch (ToolError e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// The keys already in the embedded world, read without unlocking anything; nothing when there is no world yet
    /// (checking must not create one).
    /// </summary>
    sealed class StoredKeys(WorldSession? session, SoftwareWorld? world) : IDisposable
    {
        public static StoredKeys Open(string worldRoot, ToolEnvironment env)
        {
            if (WorldDirectory.OpenExisting(worldRoot) is not { } existing || !File.Exists(existing.WorldKeyPath)) return new StoredKeys(null, null);
            var session = new WorldSession(worldRoot, new Diagnostics(TextWriter.Null));
            return new StoredKeys(session, SoftwareWorld.Open(session, SoftwareWorld.ModuleNumber, new ModuleOnlyUnlocker()));
        }

        /// <summary>Why the stored key of that name cannot be exported as planned; null when it can or there is none.</summary>
        public string? Fit(ExportRequest plan, WrappingPublicKey? wrappingKey)
        {
            try
            {
                if (world?.Find(plan.KeyName) is { } key) ExportCommand.CheckFits(key, plan, wrappingKey);
                return null;
            }
            catch (ToolError e)
            {
                return e.Message;
            }
        }

        public void Dispose()
        {
            world?.Dispose();
            session?.Dispose();
        }
    }
}
