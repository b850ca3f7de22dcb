namespace CloudIntegration.Errors;

/// <summary>
/// An error the user is meant to read: its message is shown as it is, so it must never carry secret material.
/// Domain code throws one of the two kinds below (built by <see cref="UsageErrors"/> and <see cref="RuntimeErrors"/>);
/// only the command line turns them into an <c>error: ...</c> line and an exit status.
/// </summary>
public abstract class ToolError : Exception
{
    private protected ToolError(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The command line itself is wrong: an argument, an option, or a combination of them.</summary>
public sealed class UsageError : ToolError
{
    internal UsageError(string message) : base(message, null) { }
}

/// <summary>Everything else: a file, a key store, a token or the audit trail is not as the command needs it.</summary>
public sealed class RuntimeError : ToolError
{
    internal RuntimeError(string message, Exception? inner = null) : base(message, inner) { }
}
