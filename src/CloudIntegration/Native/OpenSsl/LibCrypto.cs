using System.Runtime.InteropServices;

namespace CloudIntegration.Native.OpenSsl;

/// <summary>
/// The few calls into OpenSSL 3's libcrypto that the tool makes itself, for what .NET's cryptography lacks (SHA-224,
/// Ed25519's public key). .NET loads the same library for all its cryptography on Linux, so this adds no dependency
/// there; on Windows the library is absent and every call throws <see cref="DllNotFoundException"/>, which callers turn
/// into a refusal by name. Callers prove each use with a known answer before trusting it (see <see cref="Sha224"/>).
/// </summary>
static class LibCrypto
{
    const string Library = "libcrypto.so.3";

    /// <summary>EVP_PKEY_ED25519, which is NID_ED25519.</summary>
    public const int Ed25519 = 1087;

    /// <summary>RSA_PKCS1_OAEP_PADDING.</summary>
    public const int RsaPkcs1OaepPadding = 4;

    [DllImport(Library, EntryPoint = "EVP_sha224")]
    public static extern IntPtr Sha224();

    [DllImport(Library, EntryPoint = "EVP_Digest")]
    public static extern int Digest(ref byte data, nuint count, ref byte md, ref uint size, IntPtr type, IntPtr engine);

    [DllImport(Library, EntryPoint = "HMAC")]
    public static extern IntPtr Hmac(IntPtr md, ref byte key, int keyLength, ref byte data, nuint count, ref byte mac, ref uint macLength);

    [DllImport(Library, EntryPoint = "d2i_PUBKEY")]
    public static extern IntPtr ReadPublicKey(IntPtr existing, ref IntPtr der, nint length);

    [DllImport(Library, EntryPoint = "d2i_AutoPrivateKey")]
    public static extern IntPtr ReadPrivateKey(IntPtr existing, ref IntPtr der, nint length);

    [DllImport(Library, EntryPoint = "EVP_PKEY_new_raw_private_key")]
    public static extern IntPtr NewRawPrivateKey(int type, IntPtr engine, byte[] key, nuint length);

    [DllImport(Library, EntryPoint = "EVP_PKEY_get_raw_public_key")]
    public static extern int GetRawPublicKey(IntPtr pkey, byte[] publicKey, ref nuint length);

    [DllImport(Library, EntryPoint = "EVP_PKEY_get_size")]
    public static extern int KeySize(IntPtr pkey);

    [DllImport(Library, EntryPoint = "EVP_PKEY_free")]
    public static extern void FreeKey(IntPtr pkey);

    [DllImport(Library, EntryPoint = "EVP_PKEY_CTX_new")]
    public static extern IntPtr NewContext(IntPtr pkey, IntPtr engine);

    [DllImport(Library, EntryPoint = "EVP_PKEY_CTX_free")]
    public static extern void FreeContext(IntPtr ctx);

    [DllImport(Library, EntryPoint = "EVP_PKEY_encrypt_init")]
    public static extern int EncryptInit(IntPtr ctx);

    [DllImport(Library, EntryPoint = "EVP_PKEY_decrypt_init")]
    public static extern int DecryptInit(IntPtr ctx);

    [DllImport(Library, EntryPoint = "EVP_PKEY_CTX_set_rsa_padding")]
    public static extern int SetRsaPadding(IntPtr ctx, int padding);

    [DllImport(Library, EntryPoint = "EVP_PKEY_CTX_set_rsa_oaep_md")]
    public static extern int SetOaepHash(IntPtr ctx, IntPtr md);

    [DllImport(Library, EntryPoint = "EVP_PKEY_CTX_set_rsa_mgf1_md")]
    public static extern int SetMgf1Hash(IntPtr ctx, IntPtr md);

    [DllImport(Library, EntryPoint = "EVP_PKEY_encrypt")]
    public static extern int Encrypt(IntPtr ctx, ref byte output, ref nuint outputLength, ref byte input, nuint inputLength);

    [DllImport(Library, EntryPoint = "EVP_PKEY_decrypt")]
    public static extern int Decrypt(IntPtr ctx, ref byte output, ref nuint outputLength, ref byte input, nuint inputLength);

    /// <summary>Empties this thread's OpenSSL error queue, so a failure of ours is never reported later by .NET's own calls.</summary>
    [DllImport(Library, EntryPoint = "ERR_clear_error")]
    public static extern void ClearErrors();
}
