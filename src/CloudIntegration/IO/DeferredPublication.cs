namespace CloudIntegration.IO;

/// <summary>
/// Publication of a chunk of exports (a ceremony's) with a few barriers instead of flushes per file. While it is open,
/// a new key file is written under its temporary name without an fsync and noted (<see cref="StageCreate"/>; the key
/// store reads it there through <see cref="PendingPath"/>), and an export's output files are staged the same way
/// (<see cref="StageOutputs"/>). At the end of the chunk the caller publishes in an order that keeps the guarantees:
/// <list type="number">
/// <item><see cref="PlaceKeys"/>: one barrier makes every staged key and output durable, then each key gets its name
///   (create-if-absent, as a single export does);</item>
/// <item><see cref="PlaceOutputs"/>: one barrier makes those names durable, then the outputs are renamed into place,
///   so no output is ever published for a key that a crash could lose;</item>
/// <item>the audit append (its own barrier before the head) and the batch's commit barrier, after which all is durable;
///   <see cref="Settle"/> then drops the replaced outputs' second names.</item>
/// </list>
/// A kill before step 1 leaves temporary files only (the next run removes them); during steps 1 and 2, keys without
/// outputs or records (a re-run exports them as existing keys) and outputs without records (a re-run rewrites them).
/// <see cref="RollBack"/> undoes a chunk whose publication failed. Each noted write carries the <see cref="Owner"/>
/// set when it was made (the export's number in the run), so that some exports can be withdrawn (<see cref="Withdraw"/>).
/// </summary>
public sealed class DeferredPublication(DurableBatch batch)
{
    sealed class Create(int owner, string temp, string path)
    {
        public int Owner { get; } = owner;
        public string Temp { get; } = temp;
        public string Path { get; } = path;
        public bool Placed { get; set; }
    }

    readonly List<Create> _creates = [];
    readonly Dictionary<string, Create> _pending = new(StringComparer.Ordinal);
    readonly List<(int Owner, OutputSet.StagedSet Set)> _outputs = [];
    readonly HashSet<string> _cleaned = new(StringComparer.Ordinal);

    /// <summary>The export that the next writes belong to.</summary>
    public int Owner { get; set; }

    /// <summary>Writes a new file's content under a temporary name (no fsync: <see cref="PlaceKeys"/>' barrier covers it).</summary>
    public bool StageCreate(string path, ReadOnlySpan<byte> content, UnixFileMode mode, string? stagingDirectory = null)
    {
        if (_pending.ContainsKey(path) || File.Exists(path)) return false;
        var create = new Create(Owner, AtomicFile.Stage(path, content, mode, stagingDirectory: stagingDirectory), path);
        _creates.Add(create);
        _pending[path] = create;
        return true;
    }

    /// <summary>Where a file created in this chunk and not yet placed can be read; null when there is none.</summary>
    public string? PendingPath(string path) => _pending.TryGetValue(path, out var create) ? create.Temp : null;

    /// <summary>Withdraws a file created in this chunk and not yet placed (a failed export's new key); false when there is none.</summary>
    public bool TryWithdraw(string path)
    {
        if (!_pending.Remove(path, out var create)) return false;
        AtomicFile.TryDelete(create.Temp);
        _creates.Remove(create);
        return true;
    }

    /// <summary>Stages an export's output files (removing a killed run's leftovers once per directory).</summary>
    public IReadOnlyList<WrittenFile> StageOutputs(string directory, IReadOnlyList<OutputFile> files)
    {
        if (_cleaned.Add(Path.GetFullPath(directory))) AtomicFile.RemoveAbandoned(directory);
        var set = OutputSet.Stage(directory, files);
        _outputs.Add((Owner, set));
        return set.Written;
    }

    /// <summary>
    /// Barrier, then names every staged key (in order). Returns the owners whose key name another process took
    /// meanwhile: the key they wrapped is not the stored one, so they must be withdrawn (<see cref="Withdraw"/>).
    /// </summary>
    public List<int> PlaceKeys()
    {
        var lost = new List<int>();
        if (_creates.Count == 0) return lost;
        batch.Barrier();
        foreach (var create in _creates)
        {
            if (!AtomicFile.TryPlaceNew(create.Temp, create.Path))
            {
                lost.Add(create.Owner);
                continue;
            }
            create.Placed = true;
            _pending.Remove(create.Path);
            batch.Touched(Path.GetDirectoryName(create.Path)!);
        }
        return lost;
    }

    /// <summary>
    /// Undoes what the <paramref name="owners"/> wrote in this chunk: their outputs put back as they were (or their
    /// staged files deleted) and the keys they created removed. Returns the files that could not be put back.
    /// </summary>
    public List<(string File, string? KeptAs)> Withdraw(IReadOnlySet<int> owners)
    {
        var notRestored = new List<(string, string?)>();
        for (var i = _outputs.Count - 1; i >= 0; i--)
        {
            if (owners.Contains(_outputs[i].Owner)) notRestored.AddRange(_outputs[i].Set.Undo());
        }
        _outputs.RemoveAll(o => owners.Contains(o.Owner));
        foreach (var create in _creates.Where(c => owners.Contains(c.Owner)))
        {
            AtomicFile.TryDelete(create.Placed ? create.Path : create.Temp);
            _pending.Remove(create.Path);
            if (create.Placed) batch.Touched(Path.GetDirectoryName(create.Path)!);
        }
        _creates.RemoveAll(c => owners.Contains(c.Owner));
        return notRestored;
    }

    /// <summary>
    /// Barrier (the keys' names are durable), then each staged output set is renamed into place. A set that cannot be
    /// placed is put back by itself and its owner returned with the error; after the first such failure the rest are
    /// left staged when <paramref name="stopAtFirstFailure"/>.
    /// </summary>
    public List<(int Owner, Errors.ToolError Error)> PlaceOutputs(bool stopAtFirstFailure)
    {
        var failed = new List<(int, Errors.ToolError)>();
        if (_outputs.Count == 0) return failed;
        batch.Barrier();
        foreach (var (owner, set) in _outputs)
        {
            try
            {
                set.Publish();
            }
            catch (Errors.ToolError e)
            {
                failed.Add((owner, e));
                if (stopAtFirstFailure) break;
            }
        }
        return failed;
    }

    /// <summary>
    /// Undoes the chunk after its publication failed: placed outputs are put back as they were (newest first), keys
    /// named in it are removed, staged files deleted. Returns the files that could not be put back.
    /// </summary>
    public List<(string File, string? KeptAs)> RollBack()
    {
        var notRestored = new List<(string, string?)>();
        for (var i = _outputs.Count - 1; i >= 0; i--) notRestored.AddRange(_outputs[i].Set.Undo());
        foreach (var create in _creates)
        {
            AtomicFile.TryDelete(create.Placed ? create.Path : create.Temp);
            batch.Touched(Path.GetDirectoryName(create.Path)!);
        }
        Clear();
        return notRestored;
    }

    /// <summary>After the commit: the outputs' previous files are no longer needed.</summary>
    public void Settle()
    {
        foreach (var (_, set) in _outputs) set.Settle();
        Clear();
    }

    void Clear()
    {
        _creates.Clear();
        _pending.Clear();
        _outputs.Clear();
    }
}
