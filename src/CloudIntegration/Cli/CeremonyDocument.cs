using System.Security.Cryptography;

namespace CloudIntegration.Cli;

/// <summary>
/// One export as the ceremony file states it: text only, not yet checked against providers, files or the key store
/// (<see cref="CeremonyCheck"/> does that). <see cref="Line"/> is where its object starts in the file, for messages.
/// </summary>
public sealed record CeremonyExportEntry(
    int Number,
    int Line,
    string Provider,
    string KeyName,
    string? KeyType,
    string Protection,
    string WrappingKey,
    string WrappingKeyFingerprint,
    string? WrapAlg,
    string? AzureKek,
    string OutputDir)
{
    /// <summary>"export 2 (line 14, key 'payments')": how messages name an export.</summary>
    public string Label => $"export {Number} (line {Line}, key '{Errors.ErrorText.Shorten(KeyName)}')";
}

/// <summary>
/// A ceremony file as read: where it is, the SHA-256 of its exact bytes (the minutes quote it, so what was approved
/// and what ran can be compared), and its exports in file order. Relative paths in it are relative to
/// <see cref="Directory"/>. The format is described in docs/ceremony-file.md and docs/ceremony-file.schema.json.
/// </summary>
public sealed record CeremonyDocument(string Path, string Sha256, string? Title, string? Pkcs11Library,
                                      IReadOnlyList<CeremonyExportEntry> Exports)
{
    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    public string Resolve(string relativeOrAbsolute) => System.IO.Path.GetFullPath(relativeOrAbsolute, Directory);

    public static string HashOf(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));
}
