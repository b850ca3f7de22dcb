using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace CloudIntegration.Native.OpenSsl;

/// <summary>
/// SHA-224 where providers ask for it (AWS's and Google's HMAC-SHA224 keys, whose check value is an HMAC; Vault's
/// RSA_AES_KEY_WRAP_SHA_224, RSA-OAEP with SHA-224 and MGF1-SHA-224, empty label). .NET's cryptography has no SHA-224,
/// so these few operations are asked of OpenSSL's libcrypto directly. A name is not a proof: before the first use,
/// libcrypto must give the published answers (FIPS 180-4's SHA-224 of "abc", RFC 4231's HMAC-SHA-224 test case 2) and
/// decrypt an OAEP-SHA-224 ciphertext that the openssl command line made (a wrong OAEP or MGF1 hash cannot decode it),
/// then decrypt what it encrypts itself. Until all of that holds, <see cref="Unavailable"/> says why and every
/// operation throws.
/// </summary>
public static class Sha224
{
    public const int Bytes = 28;

    static readonly Lazy<string?> Proof = new(SelfTest, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Null when SHA-224 works here and passed its known answers; otherwise why not, as a clause for an error.</summary>
    public static string? Unavailable => Proof.Value;

    /// <summary>HMAC-SHA-224 of <paramref name="data"/> under <paramref name="key"/> (not empty).</summary>
    public static byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        ThrowIfUnavailable();
        return HmacUnproven(key, data);
    }

    /// <summary>RSA-OAEP with SHA-224 and MGF1-SHA-224, empty label, under a DER SubjectPublicKeyInfo.</summary>
    public static byte[] OaepEncrypt(ReadOnlySpan<byte> subjectPublicKeyInfo, ReadOnlySpan<byte> message)
    {
        ThrowIfUnavailable();
        return OaepEncryptUnproven(subjectPublicKeyInfo, message);
    }

    /// <summary>The inverse, with a DER PKCS#8 private key (a throwaway one: the PKCS#11 rehearsal's); null when it does not decode.</summary>
    public static byte[]? OaepDecrypt(ReadOnlySpan<byte> pkcs8, ReadOnlySpan<byte> ciphertext)
    {
        ThrowIfUnavailable();
        return OaepDecryptUnproven(pkcs8, ciphertext);
    }

    static void ThrowIfUnavailable()
    {
        if (Unavailable is { } why) throw new PlatformNotSupportedException($"SHA-224 is not available: {why}");
    }

    static string? SelfTest()
    {
        try
        {
            if (!Convert.FromHexString("23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7").AsSpan().SequenceEqual(Digest("abc"u8)))
            {
                return "OpenSSL's libcrypto gave a wrong SHA-224 of \"abc\" (FIPS 180-4)";
            }
            if (!Convert.FromHexString("a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44").AsSpan()
                    .SequenceEqual(HmacUnproven("Jefe"u8, "what do ya want for nothing?"u8)))
            {
                return "OpenSSL's libcrypto gave a wrong HMAC-SHA-224 (RFC 4231 test case 2)";
            }
            return OaepKnownAnswer();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return "OpenSSL 3's libcrypto (libcrypto.so.3), which provides it here, was not found";
        }
        catch (CryptographicException e)
        {
            return $"OpenSSL's libcrypto failed the SHA-224 known-answer test ({e.Message.TrimEnd('.')})";
        }
    }

    static string? OaepKnownAnswer()
    {
        var pkcs8 = Convert.FromBase64String(KnownAnswerKey);
        var message = Encoding.ASCII.GetBytes(KnownAnswerMessage);
        var recovered = OaepDecryptUnproven(pkcs8, Convert.FromBase64String(KnownAnswerCiphertext));
        if (recovered is null || !recovered.AsSpan().SequenceEqual(message))
        {
            return "OpenSSL's libcrypto did not decrypt the openssl command line's RSA-OAEP-SHA-224 known answer";
        }
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        var ciphertext = OaepEncryptUnproven(rsa.ExportSubjectPublicKeyInfo(), message);
        var back = OaepDecryptUnproven(pkcs8, ciphertext);
        return back is not null && back.AsSpan().SequenceEqual(message)
            ? null
            : "OpenSSL's libcrypto did not decrypt its own RSA-OAEP-SHA-224 ciphertext";
    }

    static byte[] Digest(ReadOnlySpan<byte> data)
    {
        var digest = new byte[Bytes];
        uint length = 0;
        if (LibCrypto.Digest(ref MemoryMarshal.GetReference(data), (nuint)data.Length, ref digest[0], ref length, LibCrypto.Sha224(), IntPtr.Zero) != 1 ||
            length != Bytes)
        {
            throw Failed("EVP_Digest");
        }
        return digest;
    }

    static byte[] HmacUnproven(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        if (key.IsEmpty) throw new ArgumentException("an HMAC key is never empty", nameof(key));
        var mac = new byte[Bytes];
        uint length = 0;
        // A zero-length message still needs a valid pointer; one byte of stack stands in for it.
        Span<byte> none = stackalloc byte[1];
        var message = data.IsEmpty ? none : data;
        if (LibCrypto.Hmac(LibCrypto.Sha224(), ref MemoryMarshal.GetReference(key), key.Length,
                           ref MemoryMarshal.GetReference(message), (nuint)data.Length, ref mac[0], ref length) == IntPtr.Zero || length != Bytes)
        {
            throw Failed("HMAC");
        }
        return mac;
    }

    static byte[] OaepEncryptUnproven(ReadOnlySpan<byte> subjectPublicKeyInfo, ReadOnlySpan<byte> message)
    {
        var pkey = ReadKey(subjectPublicKeyInfo, isPrivate: false);
        try
        {
            var output = new byte[LibCrypto.KeySize(pkey)];
            var length = (nuint)output.Length;
            Span<byte> none = stackalloc byte[1];
            var input = message.IsEmpty ? none : message;
            var ctx = OaepContext(pkey, encrypt: true);
            try
            {
                if (LibCrypto.Encrypt(ctx, ref output[0], ref length, ref MemoryMarshal.GetReference(input), (nuint)message.Length) != 1 ||
                    length != (nuint)output.Length)
                {
                    throw Failed("EVP_PKEY_encrypt (the message may be too long for the key)");
                }
                return output;
            }
            finally
            {
                LibCrypto.FreeContext(ctx);
            }
        }
        finally
        {
            LibCrypto.FreeKey(pkey);
        }
    }

    static byte[]? OaepDecryptUnproven(ReadOnlySpan<byte> pkcs8, ReadOnlySpan<byte> ciphertext)
    {
        var pkey = ReadKey(pkcs8, isPrivate: true);
        var output = GC.AllocateArray<byte>(Math.Max(1, LibCrypto.KeySize(pkey)), pinned: true);
        try
        {
            if (ciphertext.IsEmpty) return null;
            var length = (nuint)output.Length;
            var ctx = OaepContext(pkey, encrypt: false);
            try
            {
                if (LibCrypto.Decrypt(ctx, ref output[0], ref length, ref MemoryMarshal.GetReference(ciphertext), (nuint)ciphertext.Length) != 1)
                {
                    LibCrypto.ClearErrors();
                    return null;
                }
                return output[..(int)length];
            }
            finally
            {
                LibCrypto.FreeContext(ctx);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(output);
            LibCrypto.FreeKey(pkey);
        }
    }

    /// <summary>An EVP_PKEY_CTX set for OAEP with SHA-224 as the OAEP hash and as MGF1's, each setting checked.</summary>
    static IntPtr OaepContext(IntPtr pkey, bool encrypt)
    {
        var ctx = LibCrypto.NewContext(pkey, IntPtr.Zero);
        if (ctx == IntPtr.Zero) throw Failed("EVP_PKEY_CTX_new");
        var md = LibCrypto.Sha224();
        if ((encrypt ? LibCrypto.EncryptInit(ctx) : LibCrypto.DecryptInit(ctx)) != 1 ||
            LibCrypto.SetRsaPadding(ctx, LibCrypto.RsaPkcs1OaepPadding) != 1 ||
            LibCrypto.SetOaepHash(ctx, md) != 1 ||
            LibCrypto.SetMgf1Hash(ctx, md) != 1)
        {
            LibCrypto.FreeContext(ctx);
            throw Failed("setting RSA-OAEP with SHA-224 and MGF1-SHA-224 (EVP_PKEY_CTX_set_rsa_*)");
        }
        return ctx;
    }

    /// <summary>An EVP_PKEY from DER; the copy libcrypto reads is pinned and zeroed afterwards (a private key's, too).</summary>
    static IntPtr ReadKey(ReadOnlySpan<byte> der, bool isPrivate)
    {
        var copy = GC.AllocateArray<byte>(der.Length, pinned: true);
        try
        {
            der.CopyTo(copy);
            var cursor = copy.Length == 0 ? IntPtr.Zero : Marshal.UnsafeAddrOfPinnedArrayElement(copy, 0);
            var pkey = isPrivate
                ? LibCrypto.ReadPrivateKey(IntPtr.Zero, ref cursor, copy.Length)
                : LibCrypto.ReadPublicKey(IntPtr.Zero, ref cursor, copy.Length);
            if (pkey == IntPtr.Zero) throw Failed(isPrivate ? "d2i_AutoPrivateKey" : "d2i_PUBKEY");
            return pkey;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }
    }

    static CryptographicException Failed(string call)
    {
        LibCrypto.ClearErrors();
        return new CryptographicException($"OpenSSL's libcrypto failed: {call}");
    }

    // The known answer: a throwaway RSA-1024 key made for this test alone (openssl genpkey, then pkcs8 -topk8), and what
    // `openssl pkeyutl -encrypt -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha224 -pkeyopt rsa_mgf1_md:sha224`
    // made of the message under it. It protects nothing.
    const string KnownAnswerMessage = "SHA-224 OAEP known answer";

    const string KnownAnswerKey =
        "MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBANceERbVij0oDdIBT0qj4C58XMaXwQNGt2eP5qFTyJ6UFIgh75M/xqJvNjNR3H" +
        "GjeCMF/GSh5N+Hj1RZp35UpzWzBe6RfAPmNzgStPWUMTzbTLOpdJqbm9c+o9yig/KL0HO6BZcjKVHg+iiFefOjRK6tce7NyPhK1a5Y6iA81R+X" +
        "AgMBAAECgYAsdpB9scGTBnZk09R5zwmFUjsy6ScB8Fn0U/ANpG2xKVZdFPaZ7vK1nFsNnHv+GRW514Dlo/jUowZjHuzZ1dGBjOP2rbqjB5UdAU" +
        "WN5GptZnzcaA1kEQ027b65fZURh2hH0t6wkMf/WHx5yVSDUl1RW/OVbP1tZxO/bN8t9Zra8QJBAPGjMTp7KujGZSQTKKbeH2UDFc3/hokjciYw" +
        "ZtbRVeVYAy6ZfG4SeUgkzAmBapjj0QMgxu68HUyKq9kSIdQYoO0CQQDj51cRDcKIy8ph+nNZMRA3PKxQ+PNLLfkD7wiOYVO7CSQ/jcEjXuKQ+Z" +
        "qDVetynF0hjJWpP69nWOjceRt11iYTAkBQb7qbdRS7mA9jCt2lbpuUzIodoMnwLNR60fHp4JVvWvT0NjOtkIi+80DYiTQq4Ota1zZhkk1OhXrf" +
        "L6IDMI+hAkEAjm1cR0cfJRifAT5g6gO0i6C6W9xJR9mSPvgak8iVaFUdNy6i3jUFSO8EtkFy5Gx982KFgYFQYDj7RhXVqH3NywJBAJj+Zs15uJ" +
        "axeZk5zdUaaitZ8uiBNOPwgwwikYP1wMn1tz+3PxVRmqZkJ0IisBJ+zKfWxqwDuy3sqM05LCeyUJU=";

    const string KnownAnswerCiphertext =
        "VaVWYeV5tSaRD/VdETwgB5BAERQAfNRu62nbnQI0B0J8RQRsPaPH3HA5DssK5W92N5k++HvGn5hBvjhev2Noo3G1v3OfQZo8FWF9Sh8fjrc2el" +
        "NDFSrxox4dUMn7La/MSvCXAxEStA8GIoKdMiTJC94RbQ6OMVol9y1w3HExY1k=";
}
