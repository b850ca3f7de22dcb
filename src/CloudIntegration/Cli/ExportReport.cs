using System.Text.Json;
using CloudIntegration.Audit;
using CloudIntegration.Ceremony;
using CloudIntegration.IO;
using CloudIntegration.KeyStores;
using CloudIntegration.Providers;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Cli;

/// <summary>What one successful export did. Holds no secret.</summary>
public sealed record ExportResult(
    ExportRequest Request,
    KeyRecord Key,
    bool Created,
    WrappingPublicKey WrappingKey,
    string KeyStore,
    IReadOnlyList<WrittenFile> Files)
{
    /// <summary>The warnings of the export (key store, provider, strength), without the <c>warning: </c> prefix.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>The export's entry in the audit trail, as written.</summary>
    public AuditEntry? AuditEntry { get; init; }
    public string AuditLog { get; init; } = "";
    /// <summary>Which mechanisms the key store used, where it chose among several (a PKCS#11 token).</summary>
    public string? Construction { get; init; }
}

/// <summary>
/// Tells the operator what was exported, where it went and what to do next: a short summary and the provider's
/// next steps on stdout, or with --json all of it as one JSON object (see docs/ceremony.md for the schema).
/// </summary>
public static class ExportReport
{
    public static void Print(ExportResult result, bool json, ToolEnvironment env)
    {
        // What the export noted goes to stderr first, so on a terminal it reads before the summary it belongs to.
        env.Diagnostics.WriteTo(env.Err);
        var steps = result.Request.Provider.NextSteps(StepContext(result, env));
        var files = result.Files;
        if (json)
        {
            env.Out.WriteLine(Json(result, steps));
            return;
        }

        var request = result.Request;
        var key = result.Key;
        var wrappingKey = result.WrappingKey;
        env.Out.WriteLine($"{(result.Created ? "generated" : "exported existing")} key '{key.Name}' ({key.Type.Name}, " +
                          $"{key.Protection.Describe()}) for {request.Provider.Name} with " +
                          request.Provider.Request(wrappingKey, request.Algorithm).Describe());
        env.Out.WriteLine("  " + KeyFacts.Identity(key));
        env.Out.WriteLine($"  wrapping key: RSA-{wrappingKey.Bits} ({wrappingKey.Format}), SHA-256 fingerprint {wrappingKey.Fingerprint}");
        env.Out.WriteLine($"  security strength (NIST SP 800-57): key {key.Type.StrengthBits} bits, wrapping key {wrappingKey.StrengthBits} bits");
        env.Out.WriteLine($"  key store: {result.KeyStore}");
        if (result.Construction is { } construction) env.Out.WriteLine($"  construction: {construction} (proven against known answers first)");
        if (result.AuditEntry is { } entry) env.Out.WriteLine($"  audit: entry {entry.Seq} in {result.AuditLog}");
        var inWorkingDirectory = request.OutputDirectory == Path.GetFullPath(env.WorkingDirectory);
        foreach (var file in files)
        {
            env.Out.WriteLine($"wrote {(inWorkingDirectory ? file.Name : file.Path)} ({file.Bytes} bytes, SHA-256 {file.Sha256})");
        }
        if (result.Warnings.Count > 0)
        {
            env.Out.WriteLine("warnings (also shown above):");
            foreach (var warning in result.Warnings) env.Out.WriteLine("  - " + warning);
        }
        env.Out.WriteLine();
        env.Out.WriteLine($"next steps at {request.Provider.Name}:");
        foreach (var command in steps.Commands) env.Out.WriteLine("  " + command);
        foreach (var upload in steps.Uploads) env.Out.WriteLine($"  upload: {upload.Field} <- {upload.File}");
        foreach (var note in steps.Notes) env.Out.WriteLine("  note: " + note);
    }

    public static ImportStepContext StepContext(ExportResult result, ToolEnvironment env) => new(
        result.Request.KeyName, result.Key.Type, result.Request.Algorithm, result.WrappingKey.Bits, result.Request.AzureKek,
        result.Key.PublicKey is null ? "" : result.Key.Fingerprint, result.Request.WrapKeyArgument,
        result.Request.OutputDirectory, env.WorkingDirectory);

    static string Json(ExportResult result, ImportSteps steps)
    {
        var request = result.Request;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, TextFormats.IndentedJson))
        {
            json.WriteStartObject();
            json.WriteStartObject("key");
            KeyFacts.WriteJson(json, result.Key, withPublicKey: true);
            json.WriteBoolean("generated", result.Created);
            json.WriteNumber("strengthBits", result.Key.Type.StrengthBits);
            json.WriteEndObject();
            json.WriteString("provider", request.Provider.Name);
            json.WriteString("wrapAlgorithm", request.Algorithm.Name);
            json.WriteString("wrapping", request.Provider.Request(result.WrappingKey, request.Algorithm).Describe());
            if (result.Construction is { } construction) json.WriteString("construction", construction);
            else json.WriteNull("construction");
            json.WriteStartObject("wrappingKey");
            json.WriteNumber("bits", result.WrappingKey.Bits);
            json.WriteNumber("strengthBits", result.WrappingKey.StrengthBits);
            json.WriteString("format", result.WrappingKey.Format);
            json.WriteString("fingerprint", result.WrappingKey.Fingerprint);
            json.WriteString("file", request.WrapKeyArgument);
            json.WriteEndObject();
            json.WriteString("keyStore", result.KeyStore);
            if (request.KeyStore.ModuleNumber is { } module) json.WriteNumber("module", module);
            else json.WriteString("module", request.KeyStore.Module!.Text);   // a PKCS#11 token chosen by label or serial
            json.WriteString("outputDirectory", request.OutputDirectory);
            json.WriteStartArray("files");
            foreach (var file in result.Files)
            {
                json.WriteStartObject();
                json.WriteString("name", file.Name);
                json.WriteString("path", file.Path);
                json.WriteNumber("bytes", file.Bytes);
                json.WriteString("sha256", file.Sha256);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("warnings");
            foreach (var warning in result.Warnings) json.WriteStringValue(warning);
            json.WriteEndArray();
            json.WriteStartObject("nextSteps");
            json.WriteStartArray("commands");
            foreach (var command in steps.Commands) json.WriteStringValue(command);
            json.WriteEndArray();
            json.WriteStartArray("uploads");
            foreach (var upload in steps.Uploads)
            {
                json.WriteStartObject();
                json.WriteString("field", upload.Field);
                json.WriteString("file", upload.File);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("notes");
            foreach (var note in steps.Notes) json.WriteStringValue(note);
            json.WriteEndArray();
            json.WriteEndObject();
            if (result.AuditEntry is { } entry)
            {
                json.WriteStartObject("audit");
                json.WriteNumber("entry", entry.Seq);
                json.WriteString("log", result.AuditLog);
                json.WriteString("time", TextFormats.Utc(entry.Time, TextFormats.PreciseTimestamp));
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("audit");
            }
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
