using CloudIntegration.Audit;
using CloudIntegration.Ceremony;
using CloudIntegration.Errors;
using CloudIntegration.Keys;
using CloudIntegration.KeyStores;

namespace CloudIntegration.Cli;

/// <summary>
/// 'keys list', 'keys show NAME' and 'keys destroy NAME': the inventory of the key store, through IKeyStore only, so
/// they work the same on the embedded world and on a PKCS#11 token. Export counts come from the audit trail.
/// </summary>
public static class KeysCommand
{
    public const string Verb = "keys";
    public const string Summary = "list the keys, show one (public key, fingerprint or check value, exports), or destroy one";

    static readonly OptionSpec Yes = new(null, "yes", null, "keys destroy: do not ask for the key name to confirm");
    static readonly string[] Subcommands = ["list", "show", "destroy"];

    /// <summary>
    /// The export's options that choose a key store (module, and whatever store options other builds add), plus our
    /// own. Provider, key type and output options mean nothing here and are refused as unknown.
    /// </summary>
    static List<OptionSpec> Options =>
    [
        .. ExportOptions.All.Where(o => o != ExportOptions.Version && o != ExportOptions.AzureKek &&
                                        o != ExportOptions.KeyType && o != ExportOptions.OutputDir &&
                                        o != ExportOptions.ExpectFingerprint),
        Yes,
    ];

    static string Usage(string program) =>
        $"{program} keys list [--json] [-m MODULE] | keys show keyName [--json] [-m MODULE] | keys destroy keyName [--yes] [--json] [-m MODULE]";

    public static int Run(string[] argv, ToolEnvironment env)
    {
        if (argv.Length == 0) throw UsageErrors.MissingSubcommand(Verb, Subcommands);
        if (argv[0] is "-h" or "--help") return Help(env);
        if (!Subcommands.Contains(argv[0])) throw UsageErrors.UnknownSubcommand(Verb, argv[0], Subcommands);
        var args = ParsedArguments.Parse(argv[1..], Options);
        if (args.Has(ExportOptions.Help)) return Help(env);
        var expected = argv[0] == "list" ? 0 : 1;
        if (args.Positionals.Count != expected) throw UsageErrors.WrongArguments(Usage(env.ProgramName));
        var name = expected == 1 ? KeyName.Parse(args.Positionals[0]) : default;
        var module = ExportPlan.ParseModule(args.Value(ExportOptions.Module));
        var json = args.Has(ExportOptions.Json);

        return argv[0] switch
        {
            "list" => List(module, args, json, env),
            "show" => Show(name, module, args, json, env),
            _ => Destroy(name, module, args, json, env),
        };
    }

    static int List(int module, ParsedArguments args, bool json, ToolEnvironment env)
    {
        using var store = KeyStoreSelection.Open(module, args, env);
        var entries = CeremonyAudit.Trail(env).Entries();
        var rows = store.List().Select(k => new KeyInventory.Row(k, ExportHistory.Of(k, entries))).ToList();
        env.Out.Write(json ? KeyInventory.ListJson(rows, store.Description) : KeyInventory.Table(rows, store.Description));
        return ExitCodes.Success;
    }

    static int Show(KeyName name, int module, ParsedArguments args, bool json, ToolEnvironment env)
    {
        using var store = KeyStoreSelection.Open(module, args, env);
        var key = store.Find(name) ?? throw RuntimeErrors.KeyNotFound(name.Value, store.Description);
        var row = new KeyInventory.Row(key, ExportHistory.Of(key, CeremonyAudit.Trail(env).Entries()));
        env.Out.Write(json ? KeyInventory.ShowJson(row, store.Description) : KeyInventory.Details(row, store.Description));
        return ExitCodes.Success;
    }

    /// <summary>
    /// Checks the trail first, asks (unless --yes), destroys, then records. Any refusal once the store is open (no such
    /// key, a damaged key, a wrong confirmation) is recorded too.
    /// </summary>
    static int Destroy(KeyName name, int module, ParsedArguments args, bool json, ToolEnvironment env)
    {
        var entry = CeremonyAudit.Stamp(env, AuditEntry.Destroy, AuditEntry.Ok) with { Key = name.Value, Module = module };
        var trailChecked = false;
        var destroyed = false;
        try
        {
            using var store = KeyStoreSelection.Open(module, args, env);
            entry = entry with { KeyStore = store.Description };
            CeremonyAudit.CheckAppendable(env);
            trailChecked = true;
            var key = store.Find(name) ?? throw RuntimeErrors.KeyNotFound(name.Value, store.Description);
            entry = entry.About(key);
            if (!args.Has(Yes)) Confirm(key, env);
            store.Destroy(key);
            destroyed = true;
            var written = Record(entry with { Time = DateTimeOffset.UtcNow }, env);
            env.Out.Write(json
                ? KeyInventory.Json(j =>
                {
                    j.WriteStartObject();
                    j.WriteStartObject("destroyed");
                    KeyFacts.WriteJson(j, key, withPublicKey: false);
                    j.WriteEndObject();
                    j.WriteNumber("auditEntry", written.Seq);
                    j.WriteEndObject();
                })
                : $"destroyed key '{key.Name}' ({key.Type.Name}, {key.Protection.Describe()}; {KeyFacts.Short(key)}); " +
                  $"audit entry {written.Seq}\n");
            return ExitCodes.Success;
        }
        catch (ToolError e) when (trailChecked && !destroyed)
        {
            CeremonyAudit.TryRecordRefusal(env, entry with { Outcome = AuditEntry.Refused, Error = e.Message, Time = DateTimeOffset.UtcNow });
            throw;
        }
    }

    /// <summary>The key is gone by now: a failure to record it must say so, not suggest nothing happened.</summary>
    static AuditEntry Record(AuditEntry entry, ToolEnvironment env)
    {
        try
        {
            return CeremonyAudit.Append(env, entry)[^1];
        }
        catch (ToolError e)
        {
            throw RuntimeErrors.Runtime($"key '{entry.Key}' was destroyed, but {e.Message}", e);
        }
    }

    /// <summary>Destroying is final, so the operator types the key's name (read from standard input) to go on.</summary>
    static void Confirm(KeyRecord key, ToolEnvironment env)
    {
        env.Err.WriteLine($"about to destroy key '{key.Name}' ({key.Type.Name}, {key.Protection.Describe()}, {KeyFacts.Short(key)}) " +
                          "for good: it can never be exported again (copies already imported at a provider are not affected)");
        env.Err.Write("type the key name to confirm: ");
        env.Err.Flush();
        var typed = env.In.ReadLine();
        if (!env.InputIsTerminal) env.Err.WriteLine();
        if (typed?.Trim() != key.Name.Value) throw RuntimeErrors.DestroyNotConfirmed(key.Name.Value);
    }

    static int Help(ToolEnvironment env)
    {
        env.Out.Write($"""
            usage: {Usage(env.ProgramName)}

            The key store's inventory. 'list' shows every key this tool created: name, type, protection, creation date,
            the start of its public-key fingerprint (RSA, EC) or its check value (AES), and how often it was exported
            (from the audit trail). 'show' prints one key in full: the SHA-256 fingerprint of its SubjectPublicKeyInfo
            and the public key in PEM, to compare with the provider's copy, or the AES key check value. 'destroy'
            removes a key for good after you type its name (or with --yes), and records it in the audit trail.

            options:
              --json                    the same facts as one JSON object on stdout
              --yes                     destroy without asking
              -m MODULE                 the module (key store) to use, as for the export

            """);
        return ExitCodes.Success;
    }
}
