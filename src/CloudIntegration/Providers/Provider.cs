using CloudIntegration.Errors;
using CloudIntegration.IO;
using CloudIntegration.Keys;
using CloudIntegration.Native.OpenSsl;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Providers;

/// <summary>What an export knows when it formats the provider's files. Holds no secret.</summary>
public sealed record ExportContext(KeyName KeyName, KeyType KeyType, WrapAlgorithm Algorithm, string? AzureKek, string Generator);

/// <summary>
/// A cloud provider: which key types it imports, which wrapping algorithms it takes, and the exact files it uploads.
/// Each provider is a small file of data; the export logic is shared.
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

    /// <summary>Every algorithm an export for this provider may wrap with.</summary>
    public IReadOnlyList<WrapAlgorithm> Algorithms => TakesWrapAlgorithm ? WrapAlgorithms : [Implicit];

    WrapAlgorithm Implicit => ImplicitAlgorithm ?? throw new InvalidOperationException($"{Name} declares no wrapping algorithm");

    public virtual bool NeedsAzureKek => false;

    /// <summary>The only wrapping key size the provider accepts, where it accepts just one.</summary>
    public virtual int? RequiredWrappingKeyBits => null;

    /// <summary>The files an export writes, in the order they are written and listed.</summary>
    public abstract IReadOnlyList<ProviderFile> Files { get; }

    /// <summary>Whether the provider also needs SHA-256 of the plaintext key (Salesforce's hashed tenant secret).</summary>
    public bool NeedsSha256Digest => Files.Any(f => f.Encoding.NeedsSha256Digest);

    /// <summary>The names of the files an export writes, for checks before any key is generated.</summary>
    public IReadOnlyList<string> OutputNames(KeyName keyName) => [.. Files.Select(f => f.NameFor(keyName))];

    public IReadOnlyList<OutputFile> Format(ExportContext context, WrappedKey wrapped) => [.. Files.Select(f => f.Write(context, wrapped))];

    /// <summary>
    /// The <c>wrapAlg</c> argument as this provider understands it. The same name may mean a different construction at
    /// another provider, so the provider's own list decides.
    /// </summary>
    public WrapAlgorithm ParseAlgorithm(string? given)
    {
        if (!TakesWrapAlgorithm)
        {
            if (given is not null) throw UsageErrors.WrapAlgorithmNotAllowed(Name, given);
            return Implicit;
        }
        var supported = WrapAlgorithms.Select(a => a.Name);
        if (given is null) throw UsageErrors.WrapAlgorithmMissing(Name, supported);
        var name = WrapAlgorithm.KnownName(given) ?? throw UsageErrors.UnknownWrapAlgorithm(given, WrapAlgorithm.Names);
        return WrapAlgorithms.FirstOrDefault(a => a.Name == name) ?? throw UsageErrors.WrapAlgorithmNotSupported(name, Name, supported);
    }

    /// <summary>Refuses, before any key is generated, a wrapping key the provider would refuse outright.</summary>
    public void CheckWrappingKey(WrappingPublicKey wrappingKey, string path)
    {
        if (RequiredWrappingKeyBits is { } bits && wrappingKey.Bits != bits)
        {
            throw RuntimeErrors.WrappingKeySizeRefused(path, Name, wrappingKey.Bits, bits, WrappingKeySizeReason);
        }
    }

    /// <summary>Why the provider takes only <see cref="RequiredWrappingKeyBits"/>, for the error message.</summary>
    protected virtual string WrappingKeySizeReason => "";

    /// <summary>
    /// Refuses, before any key is generated, a combination the provider would refuse at import: an algorithm whose name
    /// states another wrapping key size, the provider's own rules, and a target too large for a direct RSA wrap under
    /// this wrapping key. Each refusal is a usage error that states the rule.
    /// </summary>
    public void CheckCombination(KeyType type, WrapAlgorithm algorithm, WrappingPublicKey wrappingKey, string? azureKek)
    {
        if (algorithm.WrappingKeyBits is { } stated && stated != wrappingKey.Bits)
        {
            throw UsageErrors.AlgorithmSizeMismatch(algorithm.Name, stated, wrappingKey.Bits);
        }
        if (Rule(type, algorithm, azureKek) is { } rule) throw UsageErrors.ProviderRule(Name, rule);
        // .NET has no SHA-224 (neither HMAC nor OAEP); OpenSSL's libcrypto provides it once it has passed its known
        // answers. Where it has not (no libcrypto, as on Windows), SHA-224 is refused by name before anything is generated.
        if (algorithm.Padding.Oaep == OaepHash.Sha224 && Sha224.Unavailable is { } oaepWhy) throw RuntimeErrors.Sha224NotAvailable(algorithm.Name, oaepWhy);
        if (type == KeyType.HmacSha224 && Sha224.Unavailable is { } hmacWhy)
        {
            throw RuntimeErrors.Sha224NotAvailable($"a {type.Name} key (its check value)", hmacWhy);
        }
        if (type.Family == KeyFamily.Ed25519 && Ed25519.Unavailable is { } ed25519Why) throw RuntimeErrors.Ed25519NotAvailable(type.Name, ed25519Why);
        if (algorithm.Construction == WrapConstruction.DirectRsa)
        {
            var limit = algorithm.Padding.MaxMessageBytes(wrappingKey.ModulusBytes);
            if (type.MaxPlaintextBytes > limit)
            {
                throw UsageErrors.TooLargeForDirectWrap(Name, type.Name, type.MaxPlaintextBytes, algorithm.Name, wrappingKey.Bits,
                                                        limit, DirectWrapAlternative);
            }
        }
    }

    /// <summary>The provider's own rule that this combination breaks, stated as the provider states it; null when none.</summary>
    protected virtual string? Rule(KeyType type, WrapAlgorithm algorithm, string? azureKek) => null;

    /// <summary>What to choose instead when a target does not fit a direct RSA wrap.</summary>
    protected virtual string DirectWrapAlternative => "an algorithm that wraps with an ephemeral AES key";

    /// <summary>Advice printed on stderr before the export runs; never fatal.</summary>
    public virtual IEnumerable<string> Warnings(WrapAlgorithm algorithm) => [];

    /// <summary>
    /// How to import the files at the provider, printed after the export (see ImportSteps.cs): the provider's commands
    /// and notes, with the console uploads of its declared files first.
    /// </summary>
    public ImportSteps NextSteps(ImportStepContext context)
    {
        var steps = Instructions(context);
        var declared = Files.Where(f => f.UploadField is not null).Select(f => new Upload(f.UploadField!, f.NameFor(context.KeyName)));
        return steps with { Uploads = [.. declared, .. steps.Uploads] };
    }

    /// <summary>The provider's commands and notes, and uploads of files that are not its own (AWS's import token).</summary>
    protected abstract ImportSteps Instructions(ImportStepContext context);

    public WrapRequest Request(WrappingPublicKey wrappingKey, WrapAlgorithm algorithm) => new(wrappingKey, algorithm, NeedsSha256Digest);

    protected static readonly IReadOnlyList<WrapAlgorithm> DirectAlgorithms =
        [WrapAlgorithm.RsaesOaepSha256, WrapAlgorithm.RsaesOaepSha1, WrapAlgorithm.RsaesPkcs1V15];
}
