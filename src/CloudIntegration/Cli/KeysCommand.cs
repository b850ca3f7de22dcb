using CloudIntegration.Audit;
using CloudIntegration.Ceremony;
using CloudIntegration.Errors;
using CloudIntegration.Keys;
using CloudIntegration.KeyStores;
using CloudIntegration.KeyStores.SoftwareWorld;

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

    /// <summary>The key store options every command shares, plus our own. Provider, key type and output options are refused as unknown.</summary>
    static readonly List<OptionSpec> Options = [CommandOptions.Help, CommandOptions.Json, Yes, .. CommandOptions.KeyStore];

    static string Usage(string program) =>
        $"{program} keys list [--json] [-m MODULE] | keys show keyName [--json] [-m MODULE] | keys destroy keyName [--yes] [--json] [-m MODULE]";

    public static int Run(string[] argv, ToolEnvironment env)
    {
        var args = ParsedArguments.Parse(argv, Options);
        if (args.Has(CommandOptions.Help)) return Help(env);
        var (subcommand, arguments) = CommandLine.Subcommand(args, Verb, Subcommands);
        if (arguments.Count != (subcommand == "list" ? 0 : 1)) throw UsageErrors.WrongArguments(Usage(env.ProgramName));
        if (args.Has(Yes) && subcommand != "destroy") throw UsageErrors.OptionNotForSubcommand("--yes", Verb, subcommand);
        var name = subcommand == "list" ? default : KeyName.Parse(arguments[0]);
        var request = CommandLine.KeyStore(args, env);
        var json = args.Has(CommandOptions.Json);

        // The world is opened once, for the key store and the audit trail alike; so is the store.
        using var world = new WorldSession(request.WorldRoot, env.Diagnostics);
        using var audit = new CeremonyAudit(world, CommandLine.Author(env), env.Diagnostics);
        return subcommand switch
        {
            "list" => List(request, world, audit, json, env),
            "show" => Show(name, request, world, audit, json, env),
            "destroy" => Destroy(name, request, world, audit, args.Has(Yes), json, env),
            _ => throw new ArgumentOutOfRangeException(nameof(argv), subcommand, "unknown subcommand"),
        };
    }

    static int List(KeyStoreRequest request, WorldSession world, CeremonyAudit audit, bool json, ToolEnvironment env)
    {
        using var store = KeyStoreSelection.Open(request, world, null, env);
        // The trail is read on a second thread while the key files are read (in a world of 100,000 keys each is a
        // second or so of work, and neither needs the other), each key's history tallied in one pass over it.
        var tally = new ExportHistory.Tally();
        var histories = Task.Run(() => audit.Trail.ReadSuccessfulExports(tally.Add));
        var unusable = new List<KeyInventory.Unusable>();
        var keys = store.List((name, error) => unusable.Add(new KeyInventory.Unusable(name, error.Message)));
        histories.GetAwaiter().GetResult();
        var rows = keys.Select(k => new KeyInventory.Row(k, tally.For(k))).ToList();
        env.Out.Write(json ? KeyInventory.ListJson(rows, unusable, store.Description) : KeyInventory.Table(rows, unusable, store.Description));
        // The readable keys are listed, and the exit status still says that the store is not all well.
        if (unusable.Count > 0) throw RuntimeErrors.KeysUnusable([.. unusable.Select(u => u.Error)]);
        return ExitCodes.Success;
    }

    static int Show(KeyName name, KeyStoreRequest request, WorldSession world, CeremonyAudit audit, bool json, ToolEnvironment env)
    {
        using var store = KeyStoreSelection.Open(request, world, null, env);
        var key = store.Find(name) ?? throw RuntimeErrors.KeyNotFound(name.Value, store.Description);
        var row = new KeyInventory.Row(key, ExportHistory.Of(key, audit.Trail.SuccessfulExports()));
        env.Out.Write(json ? KeyInventory.ShowJson(row, store.Description) : KeyInventory.Details(row, store.Description));
        return ExitCodes.Success;
    }

    /// <summary>
    /// Checks the trail first, asks (unless --yes), destroys, then records. Any refusal once the store is open (no such
    /// key, a damaged key, a wrong confirmation) is recorded too.
    /// </summary>
    static int Destroy(KeyName name, KeyStoreRequest request, WorldSession world, CeremonyAudit audit, bool yes, bool json, ToolEnvironment env)
    {
        var entry = audit.Stamp(AuditEntry.Destroy, AuditEntry.Ok) with { Key = name.Value, Module = request.ModuleNumber };
        var trailChecked = false;
        var destroyed = false;
        try
        {
            using var store = KeyStoreSelection.Open(request, world, null, env);
            entry = entry with { KeyStore = store.Description };
            audit.CheckAppendable();
            trailChecked = true;
            var key = store.Find(name) ?? throw RuntimeErrors.KeyNotFound(name.Value, store.Description);
            entry = entry.About(key);
            if (!yes) Confirm(key, env);
            store.Destroy(key);
            destroyed = true;
            var written = Record(audit, entry with { Time = DateTimeOffset.UtcNow });
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
            audit.TryRecordRefusal(entry with { Outcome = AuditEntry.Refused, Error = e.Message, Time = DateTimeOffset.UtcNow });
            throw;
        }
    }

    /// <summary>The key is gone by now: a failure to record it must say so, not suggest nothing happened.</summary>
    static AuditEntry Record(CeremonyAudit audit, AuditEntry entry)
    {
        try
        {
            return audit.Append(entry)[^1];
        }
        catch (ToolError e)
        {
            throw RuntimeErrors.Runtime($"key '{entry.Key}' was destroyed, but {e.Message}", e);
        }
    }

    /// <summary>Destroying is final, so the operator types the key's name (read from standard input) to go on.</summary>
    static void Confirm(KeyRecord key, ToolEnvironment env)
    {
        env.Diagnostics.Prompt($"about to destroy key '{key.Name}' ({key.Type.Name}, {key.Protection.Describe()}, {KeyFacts.Short(key)}) " +
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
            the start of its public-key fingerprint (RSA, EC, Ed25519) or its check value (AES, HMAC), and how often it
            was exported (from the audit trail). 'show' prints one key in full: the SHA-256 fingerprint of its
            SubjectPublicKeyInfo and the public key in PEM, to compare with the provider's copy, or the check value
            (AES: AES-ECB of a zero block; HMAC: the key's HMAC of 16 zero bytes; first 3 bytes of each). 'destroy'
            removes a key for good after you type its name (or with --yes), and records it in the audit trail.

            options:
              --json                    the same facts as one JSON object on stdout
              --yes                     destroy without asking
              -m MODULE                 the module (key store) to use, as for the export

            """);
        return ExitCodes.Success;
    }
}
