namespace CloudIntegration.Wrapping;

public enum WrapConstruction
{
    /// <summary>The key is encrypted directly with the provider's RSA key (AES-256 targets only).</summary>
    DirectRsa,

    /// <summary>
    /// PKCS#11 CKM_RSA_AES_KEY_WRAP: RSA-OAEP(ephemeral AES-256 key) followed by RFC 5649 AES key wrap with padding
    /// of the target key (raw for AES, DER PKCS#8 PrivateKeyInfo for RSA and EC).
    /// </summary>
    RsaAesKeyWrap,
}

/// <summary>
/// Everything a key store needs to wrap a key for a provider. The key store applies it to the plaintext it holds and
/// returns only ciphertext.
/// </summary>
public sealed record WrapRequest(WrappingPublicKey WrappingKey, WrapConstruction Construction, RsaPadding Padding,
                                 bool IncludeSha256Digest)
{
    public string Describe() => Construction == WrapConstruction.DirectRsa
        ? Padding.Describe()
        : $"{Padding.Describe()} of an ephemeral AES-256 key, then AES key wrap with padding (RFC 5649)";
}

/// <summary>
/// What a key store hands back: ciphertext, the SHA-256 of the plaintext where it was asked for, and which
/// construction computed it where the store chose among several (a PKCS#11 token; null for the embedded world).
/// </summary>
public sealed record WrappedKey(byte[] Ciphertext, byte[]? Sha256Digest, string? Construction = null);
