using CloudIntegration.Errors;

namespace CloudIntegration.Cli;

public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    /// <summary>The one place an error's kind becomes an exit status.</summary>
    public static int For(ToolError error) => error switch
    {
        UsageError => Usage,
        RuntimeError => Failure,
        _ => throw new ArgumentOutOfRangeException(nameof(error), error.GetType().Name, "unknown kind of error"),
    };
}
