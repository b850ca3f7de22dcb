using System.Security.Cryptography;
using CloudIntegration.Errors;

namespace CloudIntegration.Wrapping;

/// <summary>
/// The wrapping constructions computed in process memory, for key stores whose plaintext lives there (the embedded
/// world). A PKCS#11 token performs the same constructions with C_WrapKey instead.
/// </summary>
public static class SoftwareConstructions
{
    public const int EphemeralKeyBytes = 32;

    public static byte[] Apply(ReadOnlySpan<byte> target, WrapRequest request)
    {
        var rsa = request.WrappingKey.Rsa;
        return request.Construction switch
        {
            WrapConstruction.DirectRsa => DirectRsa(rsa, target, request),
            WrapConstruction.RsaAesKeyWrap => RsaAesKeyWrap(rsa, target, request.Padding),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Construction, "unknown wrap construction"),
        };
    }

    static byte[] DirectRsa(RSA rsa, ReadOnlySpan<byte> target, WrapRequest request)
    {
        var limit = request.Padding.MaxMessageBytes(request.WrappingKey.ModulusBytes);
        if (target.Length > limit)
        {
            throw RuntimeErrors.Runtime($"a {target.Length}-byte key does not fit {request.Padding.Description} under a " +
                                        $"{request.WrappingKey.Bits}-bit wrapping key (at most {limit} bytes)");
        }
        return request.Padding.Encrypt(rsa, target);
    }

    static byte[] RsaAesKeyWrap(RSA rsa, ReadOnlySpan<byte> target, RsaPadding padding)
    {
        var ephemeral = GC.AllocateArray<byte>(EphemeralKeyBytes, pinned: true);
        try
        {
            RandomNumberGenerator.Fill(ephemeral);
            using var aes = Aes.Create();
            aes.SetKey(ephemeral);
            var wrappedTarget = aes.EncryptKeyWrapPadded(target);
            var wrappedEphemeral = padding.Encrypt(rsa, ephemeral);
            return [.. wrappedEphemeral, .. wrappedTarget];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ephemeral);
        }
    }
}
