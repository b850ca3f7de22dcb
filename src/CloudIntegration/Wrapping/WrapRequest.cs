namespace CloudIntegration.Wrapping;

/// <summary>
/// Everything a key store needs to wrap a key for a provider. The key store applies it to the plaintext it holds and
/// returns only ciphertext.
/// </summary>
public sealed record WrapRequest(WrappingPublicKey WrappingKey, WrapAlgorithm Algorithm, bool IncludeSha256Digest)
{
    public WrapConstruction Construction => Algorithm.Construction;
    public RsaPadding Padding => Algorithm.Padding;

    public string Describe() => Algorithm.Describe();
}

/// <summary>
/// What a key store hands back: ciphertext, the SHA-256 of the plaintext where it was asked for, and which
/// construction computed it where the store chose among several (a PKCS#11 token; null for the embedded world).
/// </summary>
public sealed record WrappedKey(byte[] Ciphertext, byte[]? Sha256Digest, string? Construction = null);
