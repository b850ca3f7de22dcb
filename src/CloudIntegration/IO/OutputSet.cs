namespace CloudIntegration.IO;

/// <summary>One file an export writes for the provider.</summary>
public sealed record OutputFile(string FileName, byte[] Content);

/// <summary>A file as written: its name, full path, size and SHA-256 (lowercase hex), for the report and the audit record.</summary>
public sealed record WrittenFile(string Name, string Path, long Bytes, string Sha256)
{
    public static WrittenFile Of(string path, OutputFile file) => new(
        file.FileName, path, file.Content.Length,
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file.Content)));
}

/// <summary>
/// Writes the files of one export as a group: every file is staged (written and fsynced under a temporary name) before
/// any is renamed into place, so a full disk or an unwritable directory leaves none of them behind.
/// </summary>
public static class OutputSet
{
    public static IReadOnlyList<WrittenFile> Write(string directory, IReadOnlyList<OutputFile> files)
    {
        var staged = new List<(string Temp, string Final)>();
        var placed = new List<string>();
        string current = directory;
        try
        {
            foreach (var file in files)
            {
                current = Path.Combine(directory, file.FileName);
                staged.Add((AtomicFile.Stage(current, file.Content, AtomicFile.Readable), current));
            }
            foreach (var (temp, final) in staged)
            {
                current = final;
                File.Move(temp, final, overwrite: true);
                placed.Add(final);
            }
            AtomicFile.SyncDirectory(Path.GetFullPath(directory));
            return [.. files.Select((file, i) => WrittenFile.Of(staged[i].Final, file))];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var (temp, _) in staged) AtomicFile.TryDelete(temp);
            foreach (var final in placed) AtomicFile.TryDelete(final);
            throw AtomicFile.Describe(current, e);
        }
    }
}
