using System.Security.Cryptography;
using CloudIntegration.Errors;

namespace CloudIntegration.Wrapping;

/// <summary>
/// Tells a platform whose cryptography fails apart from a bad file. When a wrapping key does not parse, the tool
/// repeats the operation on a known-good key: if that fails too, the platform is at fault (Wine 8, for one, does not
/// implement RSA in its bcrypt), and saying "the file is malformed" would send the user after the wrong thing.
/// </summary>
static class PlatformCryptography
{
    /// <summary>A 1024-bit RSAPublicKey (PKCS#1) made by OpenSSL; any working RSA imports it and encrypts with it.</summary>
    const string KnownGoodRsaPublicKey =
        "MIGJAoGBAKlI+IQl6eRK2Nni1uKQqIScmSMOo2P8l8ajjYuu39BX2L3IL+lXoTwx5TzAVyUbWOuNt9/c0YdJta7H/LluhH24TT9sCtB41hQHYyeyKxNx" +
        "WXIbrrgDpUDrxIRqQhhu3tNnbHc+biFV02x220FwCK62YK2RTLO0J1a2n6Y1i9VLAgMBAAE=";

    /// <summary>Throws the platform's failure when RSA does not work here at all; returns when it does (then the input is at fault).</summary>
    public static void ThrowIfRsaBroken(Exception original)
    {
        if (RsaFailure() is { } failure) throw RuntimeErrors.PlatformCryptographyFailed("RSA", failure, original);
    }

    /// <summary>Null when this platform imports the known-good key and encrypts with OAEP-SHA-256; else what failed.</summary>
    internal static string? RsaFailure()
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportRSAPublicKey(Convert.FromBase64String(KnownGoodRsaPublicKey), out _);
            rsa.Encrypt(new byte[32], RSAEncryptionPadding.OaepSHA256);
            return null;
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            return $"a known-good RSA public key could not be used: {e.Message.TrimEnd('.')}";
        }
    }
}
