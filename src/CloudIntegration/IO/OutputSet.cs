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
/// Writes the files of one export as a group: every file is staged (written and fsynced under a temporary name) and
/// every file it replaces is kept under a second name before any is renamed into place. A failure at any step (a
/// full disk, an unwritable directory, a rename refused half way) puts every file back as it was: a file that existed
/// keeps its old content (the very same file), a file that did not exist does not.
/// </summary>
public static class OutputSet
{
    public static IReadOnlyList<WrittenFile> Write(string directory, IReadOnlyList<OutputFile> files)
    {
        // A ceremony's chunk publishes its exports' files together, after their keys are durable (DeferredPublication).
        if (DurableBatch.Current?.Deferred is { } deferred) return deferred.StageOutputs(directory, files);
        // A run killed mid-export left its temporary files here; their writer is gone, so they are ours to remove.
        AtomicFile.RemoveAbandoned(directory);
        var set = Stage(directory, files);
        set.Publish();
        set.Settle();
        return set.Written;
    }

    /// <summary>Writes every file under a temporary name (on failure, deletes what it wrote and throws the error line).</summary>
    internal static StagedSet Stage(string directory, IReadOnlyList<OutputFile> files)
    {
        var set = new StagedSet(directory, files);
        var current = directory;
        try
        {
            foreach (var file in files)
            {
                current = Path.Combine(directory, file.FileName);
                set.Placements.Add(new Placement(current, AtomicFile.Stage(current, file.Content, AtomicFile.Readable)));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            set.Discard();
            throw AtomicFile.Describe(current, e);
        }
        return set;
    }

    /// <summary>One export's files, staged: then published (or discarded), and once durable settled.</summary>
    internal sealed class StagedSet(string directory, IReadOnlyList<OutputFile> files)
    {
        public List<Placement> Placements { get; } = [];
        bool _published;

        IReadOnlyList<WrittenFile>? _written;

        public IReadOnlyList<WrittenFile> Written => _written ??= [.. files.Select((file, i) => WrittenFile.Of(Placements[i].Final, file))];

        /// <summary>
        /// Keeps each file it replaces under a second name, renames every file into place, syncs the directory. On
        /// failure every file is put back as it was and the error line is thrown.
        /// </summary>
        public void Publish()
        {
            string current = directory;
            try
            {
                foreach (var placement in Placements)
                {
                    current = placement.Final;
                    placement.KeepPrevious();
                }
                foreach (var placement in Placements)
                {
                    current = placement.Final;
                    AtomicFile.Replace(placement.Temp, placement.Final);
                    placement.Placed = true;
                }
                current = directory;
                AtomicFile.SyncDirectory(Path.GetFullPath(directory));
                _published = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                var notRestored = RollBack(directory, Placements);
                if (notRestored.Count == 0) throw AtomicFile.Describe(current, e);
                throw Errors.RuntimeErrors.OutputNotRestored(current, AtomicFile.Reason(e), notRestored, e);
            }
        }

        /// <summary>Puts back what <see cref="Publish"/> did (or deletes the staged files); returns the files not restored.</summary>
        public List<(string File, string? KeptAs)> Undo() => _published ? RollBack(directory, Placements) : Discard();

        /// <summary>Deletes the staged files of a set that is not published.</summary>
        public List<(string File, string? KeptAs)> Discard()
        {
            foreach (var placement in Placements) AtomicFile.TryDelete(placement.Temp);
            return [];
        }

        /// <summary>Placed and durable: the previous files are no longer needed.</summary>
        public void Settle()
        {
            foreach (var placement in Placements) placement.DropPrevious();
        }
    }

    /// <summary>Undoes whatever was done, newest first; returns the files that could not be put back as they were.</summary>
    static List<(string File, string? KeptAs)> RollBack(string directory, List<Placement> placements)
    {
        var notRestored = new List<(string, string?)>();
        for (var i = placements.Count - 1; i >= 0; i--)
        {
            if (!placements[i].TryUndo()) notRestored.Add((placements[i].Final, placements[i].Previous));
        }
        try
        {
            AtomicFile.SyncDirectory(Path.GetFullPath(directory));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The old names are back in the directory; only their durability is in doubt, and the error is reported.
        }
        return notRestored;
    }

    internal sealed class Placement(string final, string temp)
    {
        public string Final { get; } = final;
        public string Temp { get; } = temp;
        /// <summary>The file <see cref="Final"/> named before this export, under a temporary name; null when there was none.</summary>
        public string? Previous { get; private set; }
        public bool Placed { get; set; }

        /// <summary>
        /// Gives the existing file a second name (a hard link: no copy, no space; a copy where the file system has no
        /// links). It has the tool's temporary-name form, so if this run is killed the next run removes it.
        /// </summary>
        public void KeepPrevious()
        {
            if (!File.Exists(Final)) return;
            var previous = AtomicFile.TempName(Final);
            if (PlatformFiles.TryLink(Final, previous))
            {
                Previous = previous;
                return;
            }
            var mode = OperatingSystem.IsWindows() ? AtomicFile.Readable : File.GetUnixFileMode(Final);
            Previous = AtomicFile.Stage(Final, File.ReadAllBytes(Final), mode);
        }

        /// <summary>Puts the previous file (or no file) back under <see cref="Final"/>; false if that failed.</summary>
        public bool TryUndo()
        {
            AtomicFile.TryDelete(Temp);
            try
            {
                if (Placed && Previous is not null) AtomicFile.Replace(Previous, Final);
                else if (Placed) File.Delete(Final);
                else DropPrevious();
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        public void DropPrevious()
        {
            if (Previous is not null) AtomicFile.TryDelete(Previous);
        }
    }
}
