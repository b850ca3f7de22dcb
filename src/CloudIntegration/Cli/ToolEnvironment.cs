using CloudIntegration.Errors;
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

    /// <summary>
    /// The notes and warnings of the command run in this environment, held until it succeeds (see Errors/Diagnostics).
    /// One environment serves one command.
    /// </summary>
    public Diagnostics Diagnostics => _diagnostics ??= new Diagnostics(Err);

    Diagnostics? _diagnostics;

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
        WorkingDirectory = Directory.GetCurrentDirectory(),
        Variable = Environment.GetEnvironmentVariable,
    };
}
