using CloudIntegration.Errors;

namespace CloudIntegration.Cli;

public static class Program
{
    public static int Main(string[] args) => Run(args, ToolEnvironment.FromProcess());

    /// <summary>
    /// Runs one command. Every failure becomes one <c>error: ...</c> line and an exit status; never a trace. The
    /// command's notes and warnings are printed when it returns, and dropped when it fails: on failure stderr holds
    /// the error line alone (and any prompts that were answered).
    /// </summary>
    public static int Run(string[] args, ToolEnvironment env)
    {
        try
        {
            var code = args.Length > 0 && Commands.Find(args[0]) is { } command ? command.Run(args[1..], env) : ExportCommand.Run(args, env);
            env.Diagnostics.WriteTo(env.Err);
            return code;
        }
        catch (ToolError e)
        {
            var also = env.Diagnostics.FailureNotes.Count == 0 ? "" : " (also: " + string.Join("; ", env.Diagnostics.FailureNotes) + ")";
            env.Err.WriteLine("error: " + ErrorText.OneLine(e.Message + also));
            return ExitCodes.For(e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug or an environment we did not foresee: still one line, no stack trace to leak through logs, and not
            // the exception's message, which this build reduces to a runtime resource key (UseSystemResourceKeys).
            env.Err.WriteLine($"error: unexpected failure: {ErrorText.Describe(e)} ({e.GetType().Name}); nothing was exported");
            return ExitCodes.Failure;
        }
    }
}

/// <summary>A command other than the export, named by its first argument (never a provider name).</summary>
public sealed record Command(string Verb, string Summary, Func<string[], ToolEnvironment, int> Run);

public static class Commands
{
    /// <summary>Every command besides the export. Each lives in its own file under Cli/.</summary>
    public static IReadOnlyList<Command> All { get; } =
    [
        new(KeysCommand.Verb, KeysCommand.Summary, KeysCommand.Run),
        new(AuditCommand.Verb, AuditCommand.Summary, AuditCommand.Run),
        new("info", "list the key store: the embedded world, or a PKCS#11 library's slots, tokens and mechanisms", InfoCommand.Run),
        new("softcard", "create a softcard (a passphrase-protected secret), change its passphrase, list softcards", SoftcardCommand.Run),
        new("cardset", "create an operator card set (K of N passphrase cards), change a card's passphrase, list sets", CardSetCommand.Run),
    ];

    public static Command? Find(string verb) => All.FirstOrDefault(c => c.Verb == verb);
}
