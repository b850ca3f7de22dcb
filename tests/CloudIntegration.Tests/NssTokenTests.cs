using System.Text.RegularExpressions;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>
/// NSS's softoken as a second real token: loaded directly with --pkcs11-init-args, its quirks handled by name. The
/// export table runs against it too (<see cref="NssToken"/>).
/// </summary>
public sealed class NssTokenTests
{
    [Fact]
    public void Info_shows_both_nss_tokens_and_proves_pad_is_not_rfc_5649_there()
    {
        using var scratch = new Scratch();
        var nss = Nss.Create(scratch, NssToken.Label);
        var tool = Tool.In(scratch);
        tool.Environment["NSS_SDB_USE_CACHE"] = "no";
        var result = tool.RunProcess("info", "--pkcs11-library", Nss.Library, "--pkcs11-init-args", nss.InitArgs);
        Assert.True(result.ExitCode == 0, result.ToString());
        var text = result.Stdout;
        Assert.Contains("module 1: token 'NSS Generic Crypto Services'", text);
        Assert.Contains("state: initialized, read-only (cannot hold keys); login: not required", text);
        Assert.Contains($"module 2: token '{NssToken.Label}'", text);
        Assert.Equal(2, Regex.Matches(text, "serial 0000000000000000").Count);
        Assert.Contains("RSA-OAEP with SHA-256 and MGF1-SHA-256: proven", text);
        Assert.Contains("CKM_AES_KEY_WRAP_KWP, RSA and EC targets (PKCS#8, any length): proven", text);
        // The specification's PAD: RFC 3394 over PKCS#7 padding, recognisable by RFC 3394's integrity block.
        Assert.Contains("CKM_AES_KEY_WRAP_PAD, RSA and EC targets (PKCS#8, any length): not trusted: CKM_AES_KEY_WRAP_PAD is not " +
                        "RFC 5649 for a 37-byte key: expected 48 bytes with integrity block A65959A600000025, the token produced 48 " +
                        "bytes with integrity block A6A6A6A6A6A6A6A6", text);
        Assert.Contains("CKM_AES_KEY_WRAP_PAD, AES-256 targets: not trusted: CKM_AES_KEY_WRAP_PAD is not RFC 5649 for a 32-byte key: " +
                        "expected 40 bytes with integrity block A65959A600000020, the token produced 48 bytes", text);
        // NSS does not list CKM_SHA256 on its key token, though C_DigestKey works there: probed, not trusted from the list.
        Assert.Contains("CKM_SHA256                 not listed, but C_DigestKey with it is proven", text);
    }

    [Fact]
    public void Rsa_aes_runs_kwp_and_oaep_sha_256_in_the_token_and_says_so()
    {
        using var scratch = new Scratch();
        var tool = new NssToken().Prepare(scratch);
        var google = ExportCases.All.First(c => c.Provider == "google-cloud-key-management" && c.KeyType == "RSA-2048" && c.Algorithm == "RSAES_OAEP_SHA_256");
        var pair = ProviderKeyPair.Get(google.WrappingBits);
        var result = tool.Run([.. google.Arguments("k1", pair.WrapKeyFile(google.Form)), "--json"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(result.Stdout);
        Assert.Equal("CKM_AES_KEY_WRAP_KWP + CKM_RSA_PKCS_OAEP in the token", json.RootElement.GetProperty("construction").GetString());
        ProviderOracle.Import(google, tool.WorkingDirectory, "k1", pair);
        var audit = File.ReadAllText(Path.Combine(tool.WorldDirectory, "audit.log"));
        Assert.Contains("CKM_AES_KEY_WRAP_KWP + CKM_RSA_PKCS_OAEP in the token", audit);
    }

    [Fact]
    public void The_library_string_is_refused_without_a_library()
    {
        using var scratch = new Scratch();
        var result = Tool.In(scratch).Run("--pkcs11-init-args", "configdir='sql:/x'", "aws", "k", ProviderKeyPair.Get(2048).PublicDer, "RSAES_OAEP_SHA_1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--pkcs11-init-args", result.Stderr);
    }
}
