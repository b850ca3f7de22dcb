using CloudIntegration.KeyStores.SoftwareWorld;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>Ed25519 keys as openssl reads them: the PKCS#8 parses as ED25519 and openssl derives the same public key.</summary>
public sealed class Ed25519KeysTests
{
    [Fact]
    public void Openssl_reads_the_private_key_and_derives_the_same_public_key()
    {
        using var scratch = new Scratch();
        var pkcs8 = Ed25519Keys.Generate(out var spki);
        var keyFile = scratch.Write("ed.der", pkcs8);
        var text = System.Text.Encoding.UTF8.GetString(OpenSsl.Ok(["pkey", "-inform", "DER", "-in", keyFile, "-noout", "-text"]));
        Assert.Contains("ED25519 Private-Key", text);
        var publicFile = scratch.PathOf("ed.pub.der");
        OpenSsl.Ok(["pkey", "-inform", "DER", "-in", keyFile, "-pubout", "-outform", "DER", "-out", publicFile]);
        Assert.Equal(File.ReadAllBytes(publicFile), spki);
    }

    [Fact]
    public void Libcrypto_passes_the_rfc_8032_known_answer_here()
    {
        // Where it does not (Windows: no libcrypto), Ed25519 keys are refused by name before generation.
        Assert.Null(CloudIntegration.Native.OpenSsl.Ed25519.Unavailable);
    }

    [Fact]
    public void The_public_key_of_an_openssl_key_matches_openssls()
    {
        using var scratch = new Scratch();
        var pem = scratch.PathOf("ed.pem");
        OpenSsl.Ok(["genpkey", "-algorithm", "ED25519", "-out", pem]);
        var der = scratch.PathOf("ed.der");
        OpenSsl.Ok(["pkey", "-in", pem, "-outform", "DER", "-out", der]);
        var publicFile = scratch.PathOf("ed.pub.der");
        OpenSsl.Ok(["pkey", "-in", pem, "-pubout", "-outform", "DER", "-out", publicFile]);
        Assert.Equal(File.ReadAllBytes(publicFile), Ed25519Keys.PublicKeyOf(File.ReadAllBytes(der)));
    }
}
