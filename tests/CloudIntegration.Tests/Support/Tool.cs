using System.Diagnostics;
using CloudIntegration.Cli;
using CloudIntegration.Providers;

namespace CloudIntegration.Tests.Support;

/// <summary>The result of one run of the tool.</summary>
public sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>
/// Runs the tool against one world directory and one working directory: in-process through the same entry point the
/// executable uses (fast), or as a real child process where the test needs several processes or native environment.
/// </summary>
public sealed class Tool
{
    public required string WorldDirectory { get; init; }
    public required string WorkingDirectory { get; init; }
    public ProgramFlavor Flavor { get; init; } = ProgramFlavor.CloudIntegrationTool;
    /// <summary>Extra environment variables (for the in-process run they are what the tool sees).</summary>
    public Dictionary<string, string> Environment { get; } = new();
    /// <summary>Arguments added before the caller's, such as a key store selection.</summary>
    public List<string> LeadingArguments { get; } = [];
    /// <summary>What standard input holds (passphrases, PINs), one per line; null for an empty, non-terminal input.</summary>
    public string? Stdin { get; set; }
    /// <summary>
    /// Makes <see cref="Run"/> start the executable instead: for key stores whose native library reads its
    /// configuration from the process environment (SoftHSM's SOFTHSM2_CONF), which an in-process run cannot set.
    /// </summary>
    public bool ChildProcess { get; set; }

    public static Tool In(Scratch scratch) => new()
    {
        WorldDirectory = Path.Combine(scratch.Root, "world"),
        WorkingDirectory = scratch.Dir("out"),
    };

    public ToolResult Run(params string[] args)
    {
        if (ChildProcess) return RunProcess(args);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var env = new ToolEnvironment
        {
            Flavor = Flavor,
            Out = stdout,
            Err = stderr,
            In = new StringReader(Stdin ?? ""),
            InputIsTerminal = false,
            WorkingDirectory = WorkingDirectory,
            Variable = name => name == KeyStores.SoftwareWorld.WorldDirectory.EnvironmentVariable ? WorldDirectory
                : Environment.TryGetValue(name, out var v) ? v : null,
        };
        var code = Program.Run([.. InsertLeading(args)], env);
        return new ToolResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs the built executable as a separate process.</summary>
    public Process Start(params string[] args)
    {
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = WorkingDirectory,
        };
        foreach (var a in InsertLeading(args)) info.ArgumentList.Add(a);
        info.Environment[KeyStores.SoftwareWorld.WorldDirectory.EnvironmentVariable] = WorldDirectory;
        info.Environment[ToolEnvironment.ProgramVariable] = Flavor == ProgramFlavor.Cssadmin ? "cssadmin" : "cloud_integration_tool";
        foreach (var (k, v) in Environment) info.Environment[k] = v;
        var process = Process.Start(info)!;
        if (Stdin is not null) process.StandardInput.Write(Stdin);
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Starts the same command in every tool at once, as separate processes, and requires each to succeed.</summary>
    public static void RunConcurrently(IReadOnlyList<Tool> tools, string[] args)
    {
        var processes = tools.Select(t => t.Start(args)).ToList();
        foreach (var p in processes)
        {
            using (p)
            {
                var stderr = p.StandardError.ReadToEnd();
                p.WaitForExit();
                Xunit.Assert.True(p.ExitCode == 0, stderr);
            }
        }
    }

    public ToolResult RunProcess(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new ToolResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    IEnumerable<string> InsertLeading(string[] args) =>
        args.Length > 0 && Commands.Find(args[0]) is not null ? args : [.. LeadingArguments, .. args];

    public static string Executable => Path.Combine(AppContext.BaseDirectory, "cloud_integration_tool");
}
