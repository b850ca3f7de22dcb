using CloudIntegration.Keys;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Providers;

/// <summary>A console upload: which file goes into which field of the provider's web page.</summary>
public sealed record Upload(string Field, string File);

/// <summary>
/// What the operator does with an export's files at the provider: commands to run (what is not known here is a
/// placeholder in angle brackets, e.g. <c>&lt;KEY_ID&gt;</c>), console uploads, and notes. Each provider says its own in
/// its file; the export prints them and puts them in its JSON.
/// </summary>
public sealed record ImportSteps(IReadOnlyList<string> Commands, IReadOnlyList<Upload> Uploads, IReadOnlyList<string> Notes)
{
    public static ImportSteps None { get; } = new([], [], []);
}

/// <summary>
/// What is known when the next steps are written. Holds no secret. File arguments come back as the operator would
/// type them from the current directory, quoted for a POSIX shell where needed.
/// </summary>
public sealed record ImportStepContext(
    KeyName KeyName,
    KeyType KeyType,
    WrapAlgorithm Algorithm,
    int WrappingKeyBits,
    string? AzureKek,
    string KeyFingerprint,
    string WrapKeyPath,
    string OutputDirectory,
    string WorkingDirectory)
{
    /// <summary>The name an output file has in this export.</summary>
    public string Name(ProviderFile file) => file.NameFor(KeyName);

    /// <summary>An output file after its flag, as a shell argument: <c>--encrypted-key-material fileb://k-wrapped</c>.</summary>
    public string Flag(ProviderFile file) =>
        $"{file.Flag ?? throw new InvalidOperationException($"{file.NamePattern} is given to no flag")} {Shell.Quote(file.FlagPrefix + Typed(Path.Combine(OutputDirectory, Name(file))))}";

    /// <summary>An output file as a shell argument with a prefix of the client's, e.g. Vault's <c>@k-vault-import.json</c>.</summary>
    public string Argument(ProviderFile file, string prefix) => Shell.Quote(prefix + Typed(Path.Combine(OutputDirectory, Name(file))));

    /// <summary>A file next to the wrapping key file (AWS's ImportToken.bin comes in the same zip), if it exists.</summary>
    public string? BesideWrapKey(string fileName, string prefix = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(WrapKeyPath, WorkingDirectory))!, fileName);
        return System.IO.File.Exists(path) ? Shell.Quote(prefix + Typed(path)) : null;
    }

    /// <summary>Relative to the current directory when the file is at or below it, otherwise absolute.</summary>
    string Typed(string path)
    {
        var relative = Path.GetRelativePath(WorkingDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}

/// <summary>POSIX shell quoting for the commands we print: plain words stay plain, anything else is single-quoted.</summary>
public static class Shell
{
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "_./:=@%+,-".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
