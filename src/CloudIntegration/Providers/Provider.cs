using CloudIntegration.IO;
using CloudIntegration.Keys;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Providers;

/// <summary>What an export knows when it formats the provider's files. Holds no secret.</summary>
public sealed record ExportContext(KeyName KeyName, KeyType KeyType, WrapAlgorithm Algorithm, string? AzureKek, string Generator);

/// <summary>
/// A cloud provider: which key types it imports, which wrapping algorithms it takes, how the key is wrapped, and the
/// exact files it uploads. Each provider is a small file of data; the export logic is shared.
/// </summary>
public abstract class Provider
{
    public abstract string Name { get; }

    /// <summary>One line for the help text.</summary>
    public abstract string Summary { get; }

    public abstract IReadOnlyList<KeyType> KeyTypes { get; }

    public virtual KeyType DefaultKeyType => KeyTypes[0];

    /// <summary>The algorithms accepted as <c>wrapAlg</c>; empty when the provider takes none.</summary>
    public abstract IReadOnlyList<WrapAlgorithm> WrapAlgorithms { get; }

    /// <summary>The algorithm used when the provider takes no <c>wrapAlg</c>.</summary>
    public virtual WrapAlgorithm? ImplicitAlgorithm => null;

    public bool TakesWrapAlgorithm => WrapAlgorithms.Count > 0;

    public virtual bool NeedsAzureKek => false;

    public abstract WrapConstruction Construction { get; }

    /// <summary>Whether the provider also needs SHA-256 of the plaintext key (Salesforce's hashed tenant secret).</summary>
    public virtual bool NeedsSha256Digest => false;

    /// <summary>The names of the files an export writes, for checks before any key is generated.</summary>
    public abstract IReadOnlyList<string> OutputNames(KeyName keyName);

    public abstract IReadOnlyList<OutputFile> Format(ExportContext context, WrappedKey wrapped);

    /// <summary>Advice printed on stderr before the export runs; never fatal.</summary>
    public virtual IEnumerable<string> Warnings(WrapAlgorithm algorithm) => [];

    /// <summary>How to import the files at the provider, printed after the export (see ImportSteps.cs).</summary>
    public virtual ImportSteps NextSteps(ImportStepContext context) => ImportSteps.None;

    public WrapRequest Request(WrappingPublicKey wrappingKey, WrapAlgorithm algorithm) =>
        new(wrappingKey, Construction, algorithm.Padding, NeedsSha256Digest);

    protected static readonly IReadOnlyList<WrapAlgorithm> DirectAlgorithms =
        [WrapAlgorithm.RsaesOaepSha256, WrapAlgorithm.RsaesOaepSha1, WrapAlgorithm.RsaesPkcs1V15];

    protected static byte[] Ascii(string text) => System.Text.Encoding.ASCII.GetBytes(text);
}
