using CloudIntegration.Providers;

namespace CloudIntegration.Cli;

/// <summary>
/// What a command sees of the outside world: its name, streams, working directory and environment. Tests run
/// commands in-process with their own; the real program uses the process's.
/// </summary>
public sealed class ToolEnvironment
{
    public const string ProgramVariable = "CLOUD_INTEGRATION_PROGRAM";

    public required ProgramFlavor Flavor { get; init; }
    public required TextWriter Out { get; init; }
    public required TextWriter Err { get; init; }
    public required TextReader In { get; init; }
    public required bool InputIsTerminal { get; init; }
    public required string WorkingDirectory { get; init; }
    public required Func<string, string?> Variable { get; init; }
    /// <summary>Whether standard error is a terminal (live progress lines); false unless the process says so.</summary>
    public bool ErrorIsTerminal { get; init; }

    public string ProgramName => Flavor == ProgramFlavor.Cssadmin ? "cssadmin" : "cloud_integration_tool";

    public static string Version => typeof(ToolEnvironment).Assembly.GetName().Version is { } v
        ? $"{v.Major}.{v.Minor}.{v.Build}"
        : "0.0.0";

    public static ToolEnvironment FromProcess() => new()
    {
        Flavor = Environment.GetEnvironmentVariable(ProgramVariable) == "cssadmin" ||
                 Path.GetFileNameWithoutExtension(Environment.ProcessPath ?? "") == "cssadmin"
            ? ProgramFlavor.Cssadmin
            : ProgramFlavor.CloudIntegrationTool,
        Out = Console.Out,
        Err = Console.Error,
        In = Console.In,
        InputIsTerminal = !Console.IsInputRedirected,
        ErrorIsTerminal = !Console.IsErrorRedirected,
        WorkingDirectory = Directory.GetCurrentDirectory(),
        Variable = Environment.GetEnvironmentVariable,
    };

    /// <summary>The same environment writing diagnostics to <paramref name="err"/>. Copy any property added above.</summary>
    public ToolEnvironment WithErr(TextWriter err) => new()
    {
        Flavor = Flavor,
        Out = Out,
        Err = err,
        In = In,
        InputIsTerminal = InputIsTerminal,
        ErrorIsTerminal = ErrorIsTerminal,
        WorkingDirectory = WorkingDirectory,
        Variable = Variable,
    };
}
