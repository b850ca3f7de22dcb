using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CloudIntegration.Wrapping;

/// <summary>
/// RFC 3394 / RFC 5649 AES key wrap as the known-answer rehearsal needs it, on throwaway test values only. Wrapping is
/// .NET's <see cref="SymmetricAlgorithm.EncryptKeyWrapPadded(ReadOnlySpan{byte})"/> (RFC 5649). What .NET does not
/// offer is the integrity block a wrong construction leaves behind, which names the construction a token really ran:
/// A65959A6‖length for RFC 5649 (and a wrong length for SoftHSM 2.6.1's zero padding), A6A6A6A6A6A6A6A6 for RFC 3394
/// (NSS's CKM_AES_KEY_WRAP_PAD over PKCS#7 padding). It is recovered here with AES-ECB, RFC 3394 §2.2.2 step by step.
/// </summary>
public static class KeyWrapIntegrity
{
    public static ReadOnlySpan<byte> Rfc5649Constant => [0xA6, 0x59, 0x59, 0xA6];

    /// <summary>The RFC 5649 wrap of <paramref name="key"/> under <paramref name="kek"/>.</summary>
    public static byte[] Rfc5649(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> key)
    {
        using var aes = Aes.Create();
        aes.SetKey(kek);
        return aes.EncryptKeyWrapPadded(key);
    }

    /// <summary>The integrity block RFC 5649 puts in front of a key of this many bytes: A65959A6 and the length.</summary>
    public static byte[] Rfc5649Block(int keyBytes)
    {
        var block = new byte[8];
        Rfc5649Constant.CopyTo(block);
        BinaryPrimitives.WriteUInt32BigEndian(block.AsSpan(4), (uint)keyBytes);
        return block;
    }

    /// <summary>
    /// The 8-byte integrity block of <paramref name="wrapped"/> after unwrapping under <paramref name="kek"/>, or null
    /// when the length cannot be an AES key wrap output (not a multiple of 8, or under 16 bytes).
    /// </summary>
    public static byte[]? RecoverBlock(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> wrapped)
    {
        if (wrapped.Length < 16 || wrapped.Length % 8 != 0) return null;
        using var aes = Aes.Create();
        aes.SetKey(kek);
        var n = wrapped.Length / 8 - 1;
        var buffer = new byte[16];
        var registers = wrapped[8..].ToArray();
        try
        {
            if (n == 1)
            {
                aes.DecryptEcb(wrapped, buffer, PaddingMode.None);
                return buffer[..8];
            }
            var a = BinaryPrimitives.ReadUInt64BigEndian(wrapped);
            for (var j = 5; j >= 0; j--)
            {
                for (var i = n; i >= 1; i--)
                {
                    BinaryPrimitives.WriteUInt64BigEndian(buffer, a ^ (ulong)(n * j + i));
                    registers.AsSpan((i - 1) * 8, 8).CopyTo(buffer.AsSpan(8));
                    aes.DecryptEcb(buffer, buffer, PaddingMode.None);
                    a = BinaryPrimitives.ReadUInt64BigEndian(buffer);
                    buffer.AsSpan(8).CopyTo(registers.AsSpan((i - 1) * 8, 8));
                }
            }
            var block = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(block, a);
            return block;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(registers);
            CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
