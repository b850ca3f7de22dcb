using CloudIntegration.Keys;

namespace CloudIntegration.Wrapping;

/// <summary>
/// The security strengths of an export (NIST SP 800-57 Part 1, table 2): the key's, and the wrapping key's, which bounds
/// the transfer. No provider hands out a wrapping key above RSA-4096 (152 bits), so "weaker than the key" alone would
/// be true of every AES-256 export; a warning that always fires teaches people to skip warnings. It warns only below
/// <see cref="AdequateBits"/>, where the wrapping is weak in itself.
/// </summary>
public sealed record WrappingStrength(int KeyBits, int WrappingKeyBits)
{
    /// <summary>The strength SP 800-57 asks of anything protected beyond 2030.</summary>
    public const int AdequateBits = 128;

    public static WrappingStrength Of(KeyType key, WrappingPublicKey wrappingKey) => new(key.StrengthBits, wrappingKey.StrengthBits);

    public bool IsWeak => WrappingKeyBits < AdequateBits && WrappingKeyBits < KeyBits;

    /// <summary>The warning for a weak wrapping, or null.</summary>
    public static string? Warning(KeyType key, WrappingPublicKey wrappingKey) => Of(key, wrappingKey).IsWeak
        ? $"the wrapping key (RSA-{wrappingKey.Bits}, {wrappingKey.StrengthBits}-bit security) is weaker than the key it carries " +
          $"({key.Name}, {key.StrengthBits}-bit security) and than {AdequateBits} bits; the key is only as safe as its wrapping"
        : null;
}
