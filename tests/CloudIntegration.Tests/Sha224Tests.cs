using System.Security.Cryptography;
using CloudIntegration.Keys;
using CloudIntegration.Native.OpenSsl;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>
/// The tool's SHA-224 (libcrypto, Native/OpenSsl/Sha224.cs) against the openssl command line: HMAC-SHA224 as
/// <c>openssl dgst -sha224 -mac HMAC</c> computes it, RSA-OAEP-SHA-224 as <c>openssl pkeyutl</c> decrypts and encrypts
/// it, and never as another hash would. The same library underneath both is no proof by itself, which is why the OAEP
/// cases also go through pyca in the export table.
/// </summary>
public sealed class Sha224Tests
{
    [Fact]
    public void It_passed_its_known_answers_on_this_machine()
    {
        Assert.Null(Sha224.Unavailable);
    }

    [Fact]
    public void Hmac_sha224_is_what_openssl_dgst_computes()
    {
        foreach (var (keyBytes, dataBytes) in new[] { (28, 16), (64, 0), (100, 1000) })
        {
            var key = RandomNumberGenerator.GetBytes(keyBytes);
            var data = RandomNumberGenerator.GetBytes(dataBytes);
            var expected = OpenSsl.Ok(["dgst", "-sha224", "-mac", "HMAC", "-macopt", "hexkey:" + Convert.ToHexString(key), "-binary"], data);
            Assert.Equal(expected, Sha224.Hmac(key, data));
        }
    }

    [Fact]
    public void An_hmac_sha224_keys_check_value_is_what_openssl_computes()
    {
        var key = RandomNumberGenerator.GetBytes(28);
        Assert.Equal(OpenSsl.HmacCheckValue("HMAC-SHA224", key), KeyCheckValue.Of(KeyType.HmacSha224, key));
    }

    [Fact]
    public void Oaep_sha224_decrypts_with_openssl_only_under_sha224_and_mgf1_sha224()
    {
        var pair = ProviderKeyPair.Get(2048);
        var message = RandomNumberGenerator.GetBytes(32);
        var ciphertext = Sha224.OaepEncrypt(File.ReadAllBytes(pair.PublicDer), message);

        Assert.Equal(pair.ModulusBytes, ciphertext.Length);
        Assert.Equal(message, OpenSsl.Decrypt(pair.PrivatePem, ciphertext, "sha224"));
        Assert.Equal(message, PyCa.Unwrap(pair.PrivatePem, ciphertext, "sha224", rsaAes: false));
        Assert.NotEqual(0, OpenSsl.TryDecrypt(pair.PrivatePem, ciphertext, "sha256").ExitCode);
        // The OAEP hash right but MGF1 left at openssl's default (SHA-1) must fail too: MGF1 is SHA-224 as well.
        var mgf1Sha1 = OpenSsl.Run(["pkeyutl", "-decrypt", "-inkey", pair.PrivatePem, "-pkeyopt", "rsa_padding_mode:oaep",
                                    "-pkeyopt", "rsa_oaep_md:sha224", "-pkeyopt", "rsa_mgf1_md:sha1"], ciphertext);
        Assert.NotEqual(0, mgf1Sha1.ExitCode);
    }

    [Fact]
    public void Oaep_sha224_decrypts_what_the_openssl_command_line_encrypted()
    {
        using var rsa = RSA.Create(2048);
        var pem = Path.Combine(Path.GetTempPath(), $"sha224-{Guid.NewGuid():N}.pem");
        File.WriteAllText(pem, rsa.ExportSubjectPublicKeyInfoPem());
        try
        {
            var message = RandomNumberGenerator.GetBytes(32);
            var ciphertext = OpenSsl.Ok(["pkeyutl", "-encrypt", "-pubin", "-inkey", pem, .. OpenSsl.PaddingOptions("sha224")], message);
            Assert.Equal(message, Sha224.OaepDecrypt(rsa.ExportPkcs8PrivateKey(), ciphertext));
            var sha256 = OpenSsl.Ok(["pkeyutl", "-encrypt", "-pubin", "-inkey", pem, .. OpenSsl.PaddingOptions("sha256")], message);
            Assert.Null(Sha224.OaepDecrypt(rsa.ExportPkcs8PrivateKey(), sha256));
        }
        finally
        {
            File.Delete(pem);
        }
    }

    [Fact]
    public void A_message_longer_than_oaep_sha224_carries_is_refused()
    {
        var pair = ProviderKeyPair.Get(2048);
        var limit = pair.ModulusBytes - 2 * Sha224.Bytes - 2;
        Assert.Equal(pair.ModulusBytes, Sha224.OaepEncrypt(File.ReadAllBytes(pair.PublicDer), new byte[limit]).Length);
        Assert.ThrowsAny<CryptographicException>(() => Sha224.OaepEncrypt(File.ReadAllBytes(pair.PublicDer), new byte[limit + 1]));
    }
}
