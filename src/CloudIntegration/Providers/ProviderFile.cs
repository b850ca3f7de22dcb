using CloudIntegration.IO;
using CloudIntegration.Keys;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Providers;

/// <summary>How the bytes of one output file are made from what the key store returned. Holds no secret.</summary>
public sealed class FileEncoding
{
    FileEncoding(Func<ExportContext, WrappedKey, byte[]> encode, bool needsSha256Digest = false)
    {
        _encode = encode;
        NeedsSha256Digest = needsSha256Digest;
    }

    readonly Func<ExportContext, WrappedKey, byte[]> _encode;

    /// <summary>Whether the key store must also return the SHA-256 of the plaintext key.</summary>
    public bool NeedsSha256Digest { get; }

    public byte[] Encode(ExportContext context, WrappedKey wrapped) => _encode(context, wrapped);

    public static readonly FileEncoding Binary = new((_, wrapped) => wrapped.Ciphertext);

    /// <summary>Standard base64 on one line, without a trailing newline, so that it pastes exactly into a console box.</summary>
    public static readonly FileEncoding Base64 = new((_, wrapped) => Ascii(Convert.ToBase64String(wrapped.Ciphertext)));

    public static readonly FileEncoding Sha256DigestBase64 = new((_, wrapped) =>
        Ascii(Convert.ToBase64String(wrapped.Sha256Digest ?? throw new InvalidOperationException("the key store returned no digest"))),
        needsSha256Digest: true);

    /// <summary>A provider's own document around the ciphertext (a JSON key file, a transfer package).</summary>
    public static FileEncoding Document(Func<ExportContext, WrappedKey, byte[]> encode) => new(encode);

    static byte[] Ascii(string text) => System.Text.Encoding.ASCII.GetBytes(text);
}

/// <summary>
/// One file a provider imports, declared once: its name (<c>{keyName}</c> stands for the key name), how its bytes are
/// made, and how the operator hands it over: the console field it is uploaded to, and the command-line flag that
/// takes it (with a prefix such as the AWS CLI's <c>fileb://</c>). The export's files, the checks before it, the next
/// steps and the help text are all derived from these declarations.
/// </summary>
public sealed record ProviderFile(string NamePattern, FileEncoding Encoding, string? UploadField = null, string? Flag = null,
                                  string FlagPrefix = "")
{
    const string KeyNamePlaceholder = "{keyName}";

    public string NameFor(KeyName keyName) => NamePattern.Replace(KeyNamePlaceholder, keyName.Value, StringComparison.Ordinal);

    /// <summary>The name as the help text shows it, e.g. <c>&lt;keyName&gt;-wrapped</c>.</summary>
    public string HelpName => NamePattern.Replace(KeyNamePlaceholder, "<keyName>", StringComparison.Ordinal);

    public OutputFile Write(ExportContext context, WrappedKey wrapped) => new(NameFor(context.KeyName), Encoding.Encode(context, wrapped));
}
