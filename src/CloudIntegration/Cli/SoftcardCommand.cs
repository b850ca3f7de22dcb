using System.Security.Cryptography;
using CloudIntegration.Ceremony;
using CloudIntegration.Errors;
using CloudIntegration.IO;
using CloudIntegration.Keys;
using CloudIntegration.KeyStores.SoftwareWorld;
using CloudIntegration.KeyStores.SoftwareWorld.Protections;

namespace CloudIntegration.Cli;

/// <summary><c>softcard new NAME</c>, <c>softcard passphrase NAME</c>, <c>softcard list</c>.</summary>
public static class SoftcardCommand
{
    static readonly List<OptionSpec> Options = [CommandOptions.Help, CommandOptions.PassphraseFile];

    public static int Run(string[] argv, ToolEnvironment env)
    {
        var args = ParsedArguments.Parse(argv, Options);
        if (args.Has(CommandOptions.Help))
        {
            env.Out.Write(HelpText(env.ProgramName));
            return ExitCodes.Success;
        }
        var (subcommand, name) = Subcommand(args, "softcard", ["new", "passphrase", "list"]);
        var root = KeyStoreSelection.WorldRoot(env);
        var passphraseFile = PassphraseFile(args, env);
        switch (subcommand)
        {
            case "new":
            {
                if (Softcard.Load(root, name!) is not null) throw RuntimeErrors.SoftcardExists(name!, Softcard.PathFor(root, name!));
                using var secrets = ProtectionSetup.OpenSecrets(passphraseFile, env);
                var passphrase = PassphraseKdf.ReadNew(secrets, $"softcard '{name}'", env.Err);
                Softcard softcard;
                try
                {
                    WorldDirectory.OpenOrCreate(root, env.Diagnostics);
                    softcard = Softcard.Create(root, name!, passphrase);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(passphrase);
                }
                env.Out.WriteLine($"created softcard '{softcard.Name}' (identifier {softcard.Id}) in {softcard.FilePath}");
                env.Out.WriteLine($"protect a new key with it: {env.ProgramName} -S {softcard.Name} PROVIDER KEYNAME ...");
                return ExitCodes.Success;
            }
            case "passphrase":
            {
                var softcard = Softcard.Load(root, name!) ?? throw RuntimeErrors.SoftcardNotFound(name!, Softcard.PathFor(root, name!));
                using var secrets = ProtectionSetup.OpenSecrets(passphraseFile, env);
                var old = PassphraseKdf.ReadExisting(secrets, $"softcard '{name}'");
                try
                {
                    softcard.ChangePassphrase(old, () => PassphraseKdf.ReadNew(secrets, $"softcard '{name}'", env.Err));
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(old);
                }
                env.Out.WriteLine($"changed the passphrase of softcard '{name}'; the keys it protects are unchanged");
                return ExitCodes.Success;
            }
            default:
            {
                var failed = false;
                var softcards = Softcard.LoadAll(root, e => { env.Diagnostics.Warn(e.Message); failed = true; });
                var keys = ProtectedKeys(root, env);
                if (softcards.Count == 0) env.Out.WriteLine("no softcards in " + Softcard.DirectoryOf(root));
                foreach (var softcard in softcards)
                {
                    env.Out.WriteLine($"softcard '{softcard.Name}' (identifier {softcard.Id}, created {TextFormats.Utc(softcard.Created)}): " +
                                      Protects(keys, Protection.Softcard(softcard.Name)));
                }
                return failed ? ExitCodes.Failure : ExitCodes.Success;
            }
        }
    }

    static string HelpText(string program) => $"""
        usage: {program} softcard new NAME [--passphrase-file FILE]
               {program} softcard passphrase NAME [--passphrase-file FILE]
               {program} softcard list

        A softcard is a passphrase that protects keys. 'new' makes a random 32-byte softcard secret, seals it under
        the passphrase (PBKDF2-HMAC-SHA256, {PassphraseKdf.Iterations:N0} iterations, AES-256-GCM) and keeps it in the world
        as softcards/NAME.softcard. Keys generated with -S NAME are sealed under a key derived from both the world key
        and the softcard secret: the world directory alone, or the passphrase alone, opens none of them. Every export
        of such a key asks for the passphrase. 'passphrase' changes it (asks the old one, then the new one); no key
        file changes. 'list' shows each softcard and the keys it protects.

        Passphrases: at least {PassphraseKdf.MinimumCharacters} characters. On a terminal they are asked with echo off, a new one twice.
        For automation give --passphrase-file FILE, or pipe them on standard input: one per line, in the order asked
        ('new': the new passphrase; 'passphrase': the old one, then the new one). Never on the command line.

        NAME: 1 to 64 characters of A-Z a-z 0-9 . _ -, not starting with '.' or '-'.

        options:
          -h, --help              show this help and exit
          --passphrase-file FILE  read the passphrases from FILE

        """;

    /// <summary>The subcommand and, for those that take one, the validated name.</summary>
    internal static (string Subcommand, string? Name) Subcommand(ParsedArguments args, string verb, string[] subcommands)
    {
        var (subcommand, arguments) = CommandLine.Subcommand(args, verb, subcommands);
        var wantsName = subcommand != "list";
        if (arguments.Count > (wantsName ? 1 : 0)) throw UsageErrors.TooManyArguments(arguments[wantsName ? 1 : 0]);
        if (!wantsName) return (subcommand, null);
        if (arguments.Count < 1) throw UsageErrors.SubcommandNeeds(verb, subcommand, $"the NAME of the {verb}");
        var name = arguments[0];
        if (!KeyName.IsValid(name)) throw UsageErrors.InvalidProtectionName(verb, name);
        return (subcommand, name);
    }

    /// <summary>--passphrase-file, made absolute (these commands' passphrases are the softcard's or the cards' own).</summary>
    internal static string? PassphraseFile(ParsedArguments args, ToolEnvironment env) =>
        KeyStoreRequest.FullPath(args.Value(CommandOptions.PassphraseFile), "--passphrase-file", CommandLine.Context(env));

    /// <summary>The keys of the world, by the protection that guards them. No secret is read; no file is created.</summary>
    internal static ILookup<Protection, string> ProtectedKeys(string root, ToolEnvironment env)
    {
        if (WorldDirectory.OpenExisting(root) is not { } directory || !File.Exists(directory.WorldKeyPath))
        {
            return Array.Empty<(Protection, string)>().ToLookup(k => k.Item1, k => k.Item2);
        }
        try
        {
            using var session = new WorldSession(root, env.Diagnostics);
            using var world = SoftwareWorld.Open(session, SoftwareWorld.ModuleNumber, new ModuleOnlyUnlocker());
            return world.List().ToLookup(k => k.Protection, k => k.Name.Value);
        }
        catch (ToolError e)
        {
            env.Diagnostics.Warn($"the keys of the world cannot all be listed ({e.Message})");
            return Array.Empty<(Protection, string)>().ToLookup(k => k.Item1, k => k.Item2);
        }
    }

    internal static string Protects(ILookup<Protection, string> keys, Protection protection) =>
        keys[protection].ToList() is { Count: > 0 } names ? "protects " + string.Join(", ", names) : "protects no key";

}
