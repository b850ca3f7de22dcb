using CloudIntegration.Cli;
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
    ExportPlan Plan,
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
    /// <summary>Options of the ceremony command passed on to every export (passphrase and PIN sources, cards).</summary>
    public sealed record SharedOptions(string? PinFile);

    public static CeremonyPlan Check(CeremonyDocument document, SharedOptions shared, ToolEnvironment env)
    {
        var problems = new List<string>();
        var planned = new List<PlannedExport>();
        var providers = ProviderRegistry.For(env.Flavor);
        var writers = new Dictionary<string, string>(StringComparer.Ordinal);           // output file -> export label
        var keys = new Dictionary<string, (KeyType? Type, Protection Protection, string Label)>(StringComparer.Ordinal);
        var worldRoot = KeyStoreSelection.WorldRoot(env);
        using var stored = StoredKeys.Open(worldRoot);

        foreach (var entry in document.Exports)
        {
            void Problem(string what) => problems.Add($"{entry.Label}: {what}");

            var wrapKeyPath = document.Resolve(entry.WrappingKey);
            var outputDirectory = document.Resolve(entry.OutputDir);
            ExportPlan? plan = null;
            try
            {
                plan = ExportPlan.FromArguments(Arguments(entry, wrapKeyPath, outputDirectory, document, shared, env), providers,
                                                "the ceremony file (see docs/ceremony-file.md)");
            }
            catch (ToolError e)
            {
                Problem(e.Message);
            }

            WrappingPublicKey? wrappingKey = null;
            try
            {
                wrappingKey = WrappingPublicKey.Load(wrapKeyPath);
            }
            catch (ToolError e)
            {
                Problem(e.Message);
            }
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
                if (!IsToken(entry) && stored.Fit(plan) is { } misfit) Problem(misfit);
            }

            if (wrappingKey is not null && pinned == wrappingKey.Fingerprint && Directory.Exists(outputDirectory))
            {
                planned.Add(new PlannedExport(entry, plan, wrappingKey, outputDirectory, files));
            }
        }
        return new CeremonyPlan(document, problems.Count == 0 ? planned : [], problems);
    }

    static bool IsToken(CeremonyExportEntry entry) => entry.Protection.StartsWith("token:", StringComparison.Ordinal);

    /// <summary>
    /// The export as the command line would say it, options first and positionals after "--" (so a key name starting
    /// with '-' stays a name), parsed and validated by the export command's own rules.
    /// </summary>
    static ParsedArguments Arguments(CeremonyExportEntry entry, string wrapKeyPath, string outputDirectory,
                                     CeremonyDocument document, SharedOptions shared, ToolEnvironment env)
    {
        var argv = new List<string>();
        var protection = entry.Protection;
        var colon = protection.IndexOf(':');
        var (kind, name) = colon < 0 ? (protection, "") : (protection[..colon], protection[(colon + 1)..]);
        switch (kind)
        {
            case "module" when colon < 0: argv.Add("-M"); break;
            case "softcard" when name.Length > 0: argv.AddRange(["-S", name]); break;
            case "cardset" when name.Length > 0: argv.AddRange(["-O", name]); break;
            case "token" when name.Length > 0:
                var library = document.Pkcs11Library is { } configured ? document.Resolve(configured) : env.Variable(Pkcs11Setup.LibraryVariable);
                if (string.IsNullOrEmpty(library))
                {
                    throw UsageErrors.Usage($"protection '{ErrorText.Shorten(protection)}' needs a PKCS#11 library: " +
                                            "\"pkcs11Library\" in the file, or CLOUD_INTEGRATION_PKCS11_LIBRARY");
                }
                argv.AddRange(["--pkcs11-library", library, "-m", name]);
                if (shared.PinFile is { } pinFile) argv.AddRange(["--pin-file", pinFile]);
                break;
            default:
                throw UsageErrors.Usage($"protection '{ErrorText.Shorten(protection)}' is not one of: module, softcard:NAME, cardset:NAME, token:LABEL");
        }
        if (entry.KeyType is not null) argv.AddRange(["-k", entry.KeyType]);
        if (entry.AzureKek is not null) argv.AddRange(["-a", entry.AzureKek]);
        argv.AddRange(["--output-dir", outputDirectory, "--", entry.Provider, entry.KeyName, wrapKeyPath]);
        if (entry.WrapAlg is not null) argv.Add(entry.WrapAlg);
        return ParsedArguments.Parse(argv, ExportOptions.All);
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
    sealed class StoredKeys(SoftwareWorld? world) : IDisposable
    {
        public static StoredKeys Open(string worldRoot) =>
            WorldDirectory.OpenExisting(worldRoot) is { } existing && File.Exists(existing.WorldKeyPath)
                ? new StoredKeys(SoftwareWorld.Open(worldRoot, SoftwareWorld.ModuleNumber, new ModuleOnlyUnlocker(), TextWriter.Null))
                : new StoredKeys(null);

        /// <summary>Why the stored key of that name cannot be exported as planned; null when it can or there is none.</summary>
        public string? Fit(ExportPlan plan)
        {
            try
            {
                if (world?.Find(plan.KeyName) is { } key) ExportCommand.CheckFits(key, plan);
                return null;
            }
            catch (ToolError e)
            {
                return e.Message;
            }
        }

        public void Dispose() => world?.Dispose();
    }
}
