using CloudIntegration.Audit;
using CloudIntegration.Errors;
using CloudIntegration.IO;
using CloudIntegration.KeyStores;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Ceremony;

/// <summary>
/// Records one export in the audit trail as it goes: the export tells it what happened (store opened, key found or
/// generated, files written), and it writes a generation and an export entry on success, or one refused entry when
/// the export fails with an error. An export leaves files only if its record was written.
/// </summary>
public sealed class ExportAudit(ExportRequest request, WrappingPublicKey wrappingKey, CeremonyAudit audit)
{
    string? _keyStore;
    KeyRecord? _key;
    bool _created;
    bool _trailFailed;

    /// <summary>The store is open: check, before anything is generated, that the trail can take the record.</summary>
    public void Opened(IKeyStore store)
    {
        _keyStore = store.Description;
        try
        {
            audit.CheckAppendable();
        }
        catch (ToolError)
        {
            _trailFailed = true;
            throw;
        }
    }

    public void Found(KeyRecord key, bool created)
    {
        _key = key;
        _created = created;
    }

    /// <summary>
    /// Records the export (and the generation, if the key is new). If the record cannot be written the files are
    /// removed again and the export fails, so no export happens off the record.
    /// </summary>
    public AuditEntry Exported(IReadOnlyList<WrittenFile> files, string? construction = null)
    {
        try
        {
            var generate = Entry(AuditEntry.Generate, AuditEntry.Ok);
            var export = generate with
            {
                Event = AuditEntry.Export,
                OutputDirectory = request.OutputDirectory,
                Files = [.. files.Select(f => new AuditFile(f.Name, f.Sha256))],
                Construction = construction,
            };
            var written = _created ? audit.Append(generate, export) : audit.Append(export);
            return written[^1];
        }
        catch (Exception e) when (e is ToolError or IOException or UnauthorizedAccessException)
        {
            _trailFailed = true;
            foreach (var file in files) AtomicFile.TryDelete(file.Path);
            if (e is ToolError tool) throw RuntimeErrors.Runtime(tool.Message + "; the export's files were removed", tool);
            throw RuntimeErrors.AuditWriteFailed(audit.Trail.LogPath, ErrorText.Describe(e), e);
        }
    }

    /// <summary>The export failed with <paramref name="error"/>: record the refusal (unless the trail itself failed).</summary>
    public void Refused(ToolError error)
    {
        if (_trailFailed) return;
        audit.TryRecordRefusal(Refusal(error));
    }

    /// <summary>The refused entry for <paramref name="error"/>, not yet recorded.</summary>
    public AuditEntry Refusal(ToolError error) => Entry(AuditEntry.Export, AuditEntry.Refused) with
    {
        Error = error.Message,
        Note = _created ? "the key generated for this export was destroyed again" : null,
    };

    AuditEntry Entry(string @event, string outcome)
    {
        var entry = audit.Stamp(@event, outcome) with
        {
            KeyStore = _keyStore ?? $"module {request.KeyStore.Module?.Text ?? "1"} (not opened)",
            Module = request.KeyStore.ModuleNumber,
            Key = request.KeyName.Value,
            KeyType = request.RequestedKeyType?.Name,
            Protection = request.Protection.Encode(),
            Provider = request.Provider.Name,
            WrapAlgorithm = request.Algorithm.Name,
            WrappingKeyFingerprint = wrappingKey.Fingerprint,
            WrappingKeyBits = wrappingKey.Bits,
        };
        return _key is null ? entry : entry.About(_key);
    }
}
