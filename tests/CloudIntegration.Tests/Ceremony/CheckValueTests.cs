using System.Text;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests.Ceremony;

/// <summary>
/// The check value `keys show` prints for a secret key is the one the README defines, computed from the outside: the
/// key is obtained as a provider would (openssl unwraps an export), then openssl computes the check value itself.
/// </summary>
public sealed class CheckValueTests
{
    [Theory]
    [InlineData("HMAC-SHA256", "sha256")]
    [InlineData("HMAC-SHA512", "sha512")]
    public void Hmac_check_value_is_the_keys_hmac_of_16_zero_bytes(string keyType, string digest)
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var c = new ExportCase("hashicorp-vault", keyType, "RSA_AES_KEY_WRAP_SHA_256", 4096, WrapKeyForm.PemSpki);
        var pair = ProviderKeyPair.Get(c.WrappingBits);
        tool.Run(c.Arguments("mac", pair.WrapKeyFile(c.Form))).Ok();
        var key = ProviderOracle.Import(c, tool.WorkingDirectory, "mac", pair);

        // openssl dgst -mac HMAC over 16 zero bytes; the key is a test key, so hexkey on openssl's command line is fine.
        var output = Encoding.ASCII.GetString(OpenSsl.Ok(["dgst", $"-{digest}", "-mac", "HMAC", "-macopt", "hexkey:" + Convert.ToHexString(key), "-r"], new byte[16]));
        var expected = output.Split(' ')[0][..6];

        var shown = tool.Keys("show", "mac", "--json").Ok().Json();
        Assert.Equal(expected, shown.GetProperty("checkValue").GetString());
        Assert.Contains($"key check value: {expected} ({keyType} of a 16-byte zero block, first 3 bytes)", tool.Keys("show", "mac").Ok().Stdout);
    }

    [Fact]
    public void Ed25519_key_shows_its_public_key_which_openssl_derives_from_the_exported_private_key()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var c = new ExportCase("hashicorp-vault", "EC-ED25519", "RSA_AES_KEY_WRAP_SHA_256", 4096, WrapKeyForm.PemSpki);
        var pair = ProviderKeyPair.Get(c.WrappingBits);
        tool.Run(c.Arguments("ed", pair.WrapKeyFile(c.Form))).Ok();
        var pkcs8 = ProviderOracle.Import(c, tool.WorkingDirectory, "ed", pair);
        var publicDer = OpenSsl.Ok(["pkey", "-inform", "DER", "-pubout", "-outform", "DER"], pkcs8);

        var shown = tool.Keys("show", "ed", "--json").Ok().Json();
        Assert.Equal(CeremonyTool.Sha256Hex(publicDer), shown.GetProperty("fingerprint").GetString());
        Assert.Equal(PemText("PUBLIC KEY", publicDer), shown.GetProperty("publicKeyPem").GetString());
    }

    static string PemText(string label, byte[] der) => new(System.Security.Cryptography.PemEncoding.Write(label, der));
}
