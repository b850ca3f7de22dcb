using System.Globalization;
using CloudIntegration.Errors;
using CloudIntegration.Keys;
using CloudIntegration.KeyStores.Pkcs11;
using CloudIntegration.KeyStores.SoftwareWorld;

namespace CloudIntegration.Cli;

/// <summary>
/// `info`: what key store the export would use and what it can do. For a PKCS#11 library: its slots and tokens
/// (label, serial, model, manufacturer, login, initialized), the module numbers -m takes, and whether each mechanism the
/// tool needs is there. For the embedded world: its directory, module 1 and its key count. Reads only; never logs in.
/// </summary>
public static class InfoCommand
{
    static readonly List<OptionSpec> Options = [CommandOptions.Help, CommandOptions.Pkcs11Library, CommandOptions.Pkcs11InitArgs];

    static string Usage(string program) => $"{program} info [-h] [--pkcs11-library LIB [--pkcs11-init-args TEXT]]";

    public static int Run(string[] argv, ToolEnvironment env)
    {
        var args = ParsedArguments.Parse(argv, Options);
        if (args.Has(CommandOptions.Help))
        {
            env.Out.WriteLine("usage: " + Usage(env.ProgramName));
            env.Out.WriteLine();
            env.Out.WriteLine("Lists the key store an export would use. With --pkcs11-library LIB (or CLOUD_INTEGRATION_PKCS11_LIBRARY):");
            env.Out.WriteLine("the library, its slots and tokens, the module numbers -m accepts, and whether each mechanism the tool");
            env.Out.WriteLine("needs is supported. Otherwise the embedded Security World (CLOUD_INTEGRATION_WORLD). No PIN is asked for.");
            return ExitCodes.Success;
        }
        if (args.Positionals.Count > 0) throw UsageErrors.Usage($"unexpected argument '{ErrorText.Shorten(args.Positionals[0])}' (usage: {Usage(env.ProgramName)})");

        var request = CommandLine.KeyStore(args, env);
        if (request.Pkcs11Library is { } library) PrintLibrary(TokenInventory.Survey(library, request.Pkcs11InitArgs), env.Out);
        else PrintWorld(request.WorldRoot, env.Out);
        return ExitCodes.Success;
    }

    static void PrintWorld(string root, TextWriter output)
    {
        output.WriteLine("key store: embedded Security World (no PKCS#11 library given)");
        output.WriteLine($"world directory: {root}");
        var world = WorldDirectory.OpenExisting(root);
        if (world is null)
        {
            output.WriteLine($"module {SoftwareWorld.ModuleNumber}: embedded Security World, not created yet (the first export creates it)");
        }
        else
        {
            var keys = Directory.Exists(world.KeysDirectory)
                ? Directory.EnumerateFiles(world.KeysDirectory, "*.key").Count(f => KeyName.IsValid(Path.GetFileNameWithoutExtension(f)))
                : 0;
            output.WriteLine($"module {SoftwareWorld.ModuleNumber}: embedded Security World, {Count(keys, "key")}");
        }
        output.WriteLine("mechanisms (computed in software inside the tool):");
        foreach (var (name, use) in TokenInventory.NeededMechanisms) Mechanism(output, name, "supported (software)", use);
    }

    static void PrintLibrary(LibraryReport report, TextWriter output)
    {
        output.WriteLine($"PKCS#11 library: {report.Path}");
        output.WriteLine($"  manufacturer {report.Manufacturer}, \"{report.Description}\", library version {report.LibraryVersion}, Cryptoki {report.CryptokiVersion}");
        var initialized = report.Slots.Count(s => s.Position is not null);
        output.WriteLine($"  {Count(report.Slots.Count, "slot")}, {Count(initialized, "initialized token")}");
        foreach (var slot in report.Slots)
        {
            output.WriteLine($"slot 0x{slot.Id:x}: {slot.Description}");
            if (slot.Token is not { } token)
            {
                output.WriteLine("  no token present");
                continue;
            }
            if (!token.IsInitialized)
            {
                output.WriteLine("  token present, not initialized (cannot be selected; initialize it with the vendor's tools)");
                continue;
            }
            output.WriteLine($"  module {slot.Position}: token '{token.Label}'");
            output.WriteLine($"    serial {token.Serial}, model {token.Model}, manufacturer {token.Manufacturer}");
            output.WriteLine($"    state: initialized{(token.IsWriteProtected ? ", read-only (cannot hold keys)" : "")}; login: {Login(token.Login)}");
            output.WriteLine($"    select with: -m {slot.Position}, -m '{token.Label}' or -m {token.Serial} (or -S/-O '{token.Label}')");
            output.WriteLine("    mechanisms the tool needs:");
            foreach (var m in slot.Mechanisms) Mechanism(output, m.Name, m.Status, m.Use, indent: "      ");
            output.WriteLine("    known-answer tests (throwaway session keys; an export trusts only what is proven here):");
            foreach (var (test, result) in slot.KnownAnswers) output.WriteLine($"      {test}: {result}");
        }
    }

    static string Login(TokenLogin login) => login switch
    {
        TokenLogin.NotRequired => "not required",
        TokenLogin.PinPad => "required, PIN entered on the device",
        TokenLogin.UserPinLocked => "required, but the user PIN is locked",
        TokenLogin.UserPin => "required (user PIN)",
        _ => throw new ArgumentOutOfRangeException(nameof(login), login, null),
    };

    static void Mechanism(TextWriter output, string name, string status, string use, string indent = "  ") =>
        output.WriteLine($"{indent}{name,-26} {status} [{use}]");

    static string Count(int n, string noun) => $"{n.ToString(CultureInfo.InvariantCulture)} {noun}{(n == 1 ? "" : "s")}";
}
