namespace CloudIntegration.Errors;

/// <summary>
/// The only exception the command line turns into an <c>error: ...</c> line. Its message is shown to the user
/// as it is, so it must never carry secret material. Build instances through <see cref="Fail"/>.
/// </summary>
public sealed class CliException : Exception
{
    internal CliException(int exitCode, string message, Exception? inner = null) : base(message, inner)
    {
        ExitCode = exitCode;
    }

    /// <summary>2 for a usage error (the command line itself is wrong), 1 for every other failure.</summary>
    public int ExitCode { get; }

    public bool IsUsageError => ExitCode == ExitCodes.Usage;
}

public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
