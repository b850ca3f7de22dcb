using System.Security.Cryptography;
using CloudIntegration.Errors;

namespace CloudIntegration.Wrapping;

public enum RsaPadding { OaepSha1, OaepSha256, Pkcs1V15 }

/// <summary>A wrapping algorithm named on the command line (the guide's <c>wrapAlg</c>).</summary>
public sealed class WrapAlgorithm
{
    WrapAlgorithm(string name, RsaPadding padding)
    {
        Name = name;
        Padding = padding;
    }

    public string Name { get; }
    public RsaPadding Padding { get; }

    public static readonly WrapAlgorithm RsaesOaepSha256 = new("RSAES_OAEP_SHA_256", RsaPadding.OaepSha256);
    public static readonly WrapAlgorithm RsaesOaepSha1 = new("RSAES_OAEP_SHA_1", RsaPadding.OaepSha1);
    public static readonly WrapAlgorithm RsaesPkcs1V15 = new("RSAES_PKCS1_V1_5", RsaPadding.Pkcs1V15);

    public static IReadOnlyList<WrapAlgorithm> All { get; } = [RsaesOaepSha256, RsaesOaepSha1, RsaesPkcs1V15];

    public static WrapAlgorithm Parse(string name) =>
        All.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw UsageErrors.UnknownWrapAlgorithm(name, All.Select(a => a.Name));

    public override string ToString() => Name;
}

public static class RsaPaddingExtensions
{
    /// <summary>.NET's OAEP paddings use the same hash for MGF1 as for the label, with an empty label.</summary>
    public static RSAEncryptionPadding ToDotNet(this RsaPadding padding) => padding switch
    {
        RsaPadding.OaepSha1 => RSAEncryptionPadding.OaepSHA1,
        RsaPadding.OaepSha256 => RSAEncryptionPadding.OaepSHA256,
        _ => RSAEncryptionPadding.Pkcs1,
    };

    public static string Describe(this RsaPadding padding) => padding switch
    {
        RsaPadding.OaepSha1 => "RSA-OAEP with SHA-1 and MGF1-SHA-1",
        RsaPadding.OaepSha256 => "RSA-OAEP with SHA-256 and MGF1-SHA-256",
        _ => "RSA PKCS#1 v1.5",
    };

    /// <summary>The largest message the padding can carry under a modulus of this many bytes.</summary>
    public static int MaxMessageBytes(this RsaPadding padding, int modulusBytes) => padding switch
    {
        RsaPadding.OaepSha1 => modulusBytes - 2 * 20 - 2,
        RsaPadding.OaepSha256 => modulusBytes - 2 * 32 - 2,
        _ => modulusBytes - 11,
    };
}
