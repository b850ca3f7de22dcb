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
        if (plan.RequestedKeyType is { } requested) plan.Provider.CheckCombination(requested, plan.Algorithm, wrappingKey, plan.AzureKek);
        env.Err.WriteLine($"wrapping key: RSA-{wrappingKey.Bits} ({wrappingKey.Format}), SHA-256 fingerprint {wrappingKey.Fingerprint}");
        foreach (var warning in plan.Provider.Warnings(plan.Algorithm)) env.Err.WriteLine("warning: " + warning);

        var outputDirectory = plan.Arguments.Value(ExportOptions.OutputDir) is { } dir
            ? Path.GetFullPath(dir, env.WorkingDirectory)
            : env.WorkingDirectory;
        CheckOutputDirectory(outputDirectory);

        // Every export that gets as far as the key store is recorded in the audit trail, refused ones included.
        var audit = new ExportAudit(plan, wrappingKey, env);
        try
        {
            using var store = KeyStoreSelection.Open(plan, env);
            return Export(store, plan, wrappingKey, outputDirectory, audit, warnings, env);
        }
        catch (ToolError e)
        {
            audit.Refused(e);
            throw;
        }
    }

    static int Export(IKeyStore store, ExportPlan plan, WrappingPublicKey wrappingKey, string outputDirectory,
                      ExportAudit audit, WarningCollector warnings, ToolEnvironment env)
    {
        audit.Opened(store);
        var (key, created) = FindOrGenerate(store, plan, wrappingKey);
        audit.Found(key, created);
        try
        {
            if (WrappingStrength.Warning(key.Type, wrappingKey) is { } weak) env.Err.WriteLine("warning: " + weak);
            var wrapped = store.Wrap(key, plan.Provider.Request(wrappingKey, plan.Algorithm));
            var context = new ExportContext(plan.KeyName, key.Type, plan.Algorithm, plan.AzureKek,
                                            $"{env.ProgramName} {ToolEnvironment.Version}; {store.Description}");
            var written = OutputSet.Write(outputDirectory, plan.Provider.Format(context, wrapped));
            var record = audit.Exported(written, outputDirectory);

            ExportReport.Print(new ExportResult(plan, key, created, wrappingKey, store.Description, written)
            {
                OutputDirectory = outputDirectory,
                Warnings = warnings.Warnings,
                AuditEntry = record,
            }, env);
            return ExitCodes.Success;
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

    static (KeyRecord Key, bool Created) FindOrGenerate(IKeyStore store, ExportPlan plan, WrappingPublicKey wrappingKey)
    {
        if (store.Find(plan.KeyName) is { } existing)
        {
            CheckFits(existing, plan, wrappingKey);
            return (existing, false);
        }
        var type = plan.RequestedKeyType ?? plan.Provider.DefaultKeyType;
        plan.Provider.CheckCombination(type, plan.Algorithm, wrappingKey, plan.AzureKek);
        var (key, created) = store.GetOrGenerate(plan.KeyName, type, plan.Protection);
        if (!created) CheckFits(key, plan, wrappingKey);
        return (key, created);
    }

    /// <summary>An existing key is re-exported only where its type and protection fit what was asked.</summary>
    static void CheckFits(KeyRecord key, ExportPlan plan, WrappingPublicKey wrappingKey)
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
        plan.Provider.CheckCombination(key.Type, plan.Algorithm, wrappingKey, plan.AzureKek);
    }

    static void CheckOutputDirectory(string directory)
    {
        if (!Directory.Exists(directory)) throw RuntimeErrors.OutputFailed(directory, "the output directory does not exist");
    }
}
