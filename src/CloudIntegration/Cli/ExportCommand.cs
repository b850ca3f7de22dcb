using CloudIntegration.Ceremony;
using CloudIntegration.Errors;
using CloudIntegration.IO;
using CloudIntegration.Keys;
using CloudIntegration.KeyStores;
using CloudIntegration.Providers;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Cli;

/// <summary>The guide's command: generate or find a key, wrap it for a provider, write the provider's files.</summary>
public static class ExportCommand
{
    public static int Run(string[] argv, ToolEnvironment env)
    {
        var warnings = new WarningCollector(env.Err);   // the summary repeats what scrolled past on stderr
        env = env.WithErr(warnings);
        var providers = ProviderRegistry.For(env.Flavor);
        var args = ParsedArguments.Parse(argv, ExportOptions.All);
        if (args.Has(ExportOptions.Help))
        {
            env.Out.Write(HelpText.Full(env.ProgramName, providers, Commands.All.Select(c => (c.Verb, c.Summary))));
            return ExitCodes.Success;
        }
        if (args.Has(ExportOptions.Version))
        {
            env.Out.WriteLine($"{env.ProgramName} {ToolEnvironment.Version}");
            return ExitCodes.Success;
        }

        var plan = ExportPlan.FromArguments(args, providers, HelpText.Usage(env.ProgramName));
        var wrapKeyFile = Path.Combine(env.WorkingDirectory, plan.WrapKeyPath);
        var wrappingKey = WrappingPublicKey.Load(wrapKeyFile);
        plan.Provider.CheckWrappingKey(wrappingKey, wrapKeyFile);
        env.Err.WriteLine($"wrapping key: RSA-{wrappingKey.Bits} ({wrappingKey.Format}), SHA-256 fingerprint {wrappingKey.Fingerprint}");
        CheckPinned(plan, wrappingKey, env);
        foreach (var warning in plan.Provider.Warnings(plan.Algorithm)) env.Err.WriteLine("warning: " + warning);

        var outputDirectory = plan.Arguments.Value(ExportOptions.OutputDir) is { } dir
            ? Path.GetFullPath(dir, env.WorkingDirectory)
            : env.WorkingDirectory;
        CheckOutputDirectory(outputDirectory);

        // Every export that gets as far as the key store is recorded in the audit trail, refused ones included.
        var audit = new ExportAudit(plan, wrappingKey, env);
        // Key file, output files and audit record made durable by two syncfs barriers instead of seven fsyncs (see DurableBatch).
        using var batch = DurableBatch.Begin();
        try
        {
            using var store = KeyStoreSelection.Open(plan, env);
            var result = Export(store, plan, wrappingKey, outputDirectory, audit, warnings, env);
            batch.Commit();
            ExportReport.Print(result, env);
            return ExitCodes.Success;
        }
        catch (ToolError e)
        {
            audit.Refused(e);
            try { batch.Commit(); } catch (IOException) { }   // the refusal's record; the error above is what matters
            throw;
        }
    }

    /// <summary>
    /// One export against an open store: find or generate the key, wrap it, write the files, record it. The store may
    /// serve several exports (a ceremony opens it, and unlocks each protection, once). Prints nothing on stdout.
    /// </summary>
    internal static ExportResult Export(IKeyStore store, ExportPlan plan, WrappingPublicKey wrappingKey, string outputDirectory,
                                        ExportAudit audit, WarningCollector warnings, ToolEnvironment env)
    {
        audit.Opened(store);
        var (key, created) = FindOrGenerate(store, plan);
        audit.Found(key, created);
        try
        {
            if (WrappingStrength.Warning(key.Type, wrappingKey) is { } weak) env.Err.WriteLine("warning: " + weak);
            var wrapped = store.Wrap(key, plan.Provider.Request(wrappingKey, plan.Algorithm));
            var context = new ExportContext(plan.KeyName, key.Type, plan.Algorithm, plan.AzureKek,
                                            $"{env.ProgramName} {ToolEnvironment.Version}; {store.Description}");
            var written = OutputSet.Write(outputDirectory, plan.Provider.Format(context, wrapped));
            var record = audit.Exported(written, outputDirectory);

            return new ExportResult(plan, key, created, wrappingKey, store.Description, written)
            {
                OutputDirectory = outputDirectory,
                Warnings = warnings.Warnings,
                AuditEntry = record,
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

    static (KeyRecord Key, bool Created) FindOrGenerate(IKeyStore store, ExportPlan plan)
    {
        if (store.Find(plan.KeyName) is { } existing)
        {
            CheckFits(existing, plan);
            return (existing, false);
        }
        var type = plan.RequestedKeyType ?? plan.Provider.DefaultKeyType;
        var (key, created) = store.GetOrGenerate(plan.KeyName, type, plan.Protection);
        if (!created) CheckFits(key, plan);
        return (key, created);
    }

    /// <summary>An existing key is re-exported only where its type and protection fit what was asked.</summary>
    internal static void CheckFits(KeyRecord key, ExportPlan plan)
    {
        if (plan.RequestedKeyType is { } requested && requested != key.Type)
        {
            throw UsageErrors.StoredKeyTypeMismatch(key.Name.Value, key.Type.Name, requested.Name);
        }
        if (!plan.Provider.KeyTypes.Contains(key.Type))
        {
            throw UsageErrors.StoredKeyNotForProvider(key.Name.Value, key.Type.Name, plan.Provider.Name, plan.Provider.KeyTypes.Select(t => t.Name));
        }
        if (key.Protection != plan.Protection)
        {
            throw UsageErrors.KeyProtectedOtherwise(key.Name.Value, key.Protection.DescribeKey(), plan.Protection.DescribeAsGiven(), key.Protection.HowToGive());
        }
    }

    /// <summary>--expect-fingerprint: a wrapping key other than the one the provider issued stops the export here.</summary>
    static void CheckPinned(ExportPlan plan, WrappingPublicKey wrappingKey, ToolEnvironment env)
    {
        if (plan.Arguments.Value(ExportOptions.ExpectFingerprint) is not { } given) return;
        var expected = PinnedFingerprint.Normalize(given) ?? throw UsageErrors.ExpectedFingerprintMalformed(given);
        if (wrappingKey.Fingerprint != expected)
        {
            throw RuntimeErrors.WrappingKeyNotPinned(Path.GetFullPath(plan.WrapKeyPath, env.WorkingDirectory), wrappingKey.Fingerprint, expected);
        }
    }

    static void CheckOutputDirectory(string directory)
    {
        if (!Directory.Exists(directory)) throw RuntimeErrors.OutputFailed(directory, "the output directory does not exist");
    }
}
