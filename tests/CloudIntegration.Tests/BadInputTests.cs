using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>
/// Every bad input gets one line "error: ...", naming what is wrong and what was expected, exit 2 for a wrong command
/// line and 1 for anything else, and changes nothing: no key, no output file.
/// </summary>
public sealed class BadInputTests
{
    const string Kek = ExportCase.AzureKek;
    static string Der => ProviderKeyPair.Get(2048).PublicDer;
    static string Pem => ProviderKeyPair.Get(2048).PublicPem;

    public static TheoryData<string, string[], string> UsageErrors() => new()
    {
        { "no arguments", [], "missing provider, keyName, wrapKey" },
        { "unknown provider", ["gcp", "k", "{der}", "RSAES_OAEP_SHA_1"], "unknown provider 'gcp' (expected one of: aws, google-compute-engine, google-cloud-key-management, microsoft-azure, salesforce, oracle-cloud, hashicorp-vault)" },
        { "unknown key type", ["microsoft-azure", "k", "{pem}", "-a", Kek, "-k", "RSA-1024"], "unknown key type 'RSA-1024'" },
        { "key type the provider does not take", ["google-cloud-key-management", "k", "{pem}", "RSAES_OAEP_SHA_1", "-k", "EC-NISTP521"],
          "key type EC-NISTP521 is not supported by google-cloud-key-management (supported: RSA-2048, RSA-3072, RSA-4096, EC-NISTP256, EC-NISTP384, AES-256, EC-SECP256K1, EC-ED25519, AES-128, HMAC-SHA1, HMAC-SHA224, HMAC-SHA256, HMAC-SHA384, HMAC-SHA512)" },
        { "key type aws does not take", ["aws", "k", "{der}", "RSA_AES_KEY_WRAP_SHA_256", "-k", "EC-ED25519"], "key type EC-ED25519 is not supported by aws (supported: AES-256, " },
        // The providers' own rules, each refused before a key is generated.
        { "aws: RSA key under direct OAEP", ["aws", "k", "{der}", "RSAES_OAEP_SHA_1", "-k", "RSA-2048"],
          "aws: an RSA private key needs an RSA_AES wrapping algorithm (RSA_AES_KEY_WRAP_SHA_256 or RSA_AES_KEY_WRAP_SHA_1)" },
        { "aws: PKCS#1 v1.5 for an HMAC key", ["aws", "k", "{der}", "RSAES_PKCS1_V1_5", "-k", "HMAC-256"],
          "aws: RSAES_PKCS1_V1_5 is accepted only for the guide's AES-256 key, not for HMAC-SHA256" },
        { "aws: EC-NISTP521 under RSA-2048 direct", ["aws", "k", "{der}", "RSAES_OAEP_SHA_256", "-k", "EC-NISTP521"],
          "aws: a EC-NISTP521 key (241 bytes) does not fit RSAES_OAEP_SHA_256 under an RSA-2048 wrapping key (at most 190 bytes); use RSA_AES_KEY_WRAP_SHA_256" },
        { "google: method size is not the wrapping key's", ["google-cloud-key-management", "k", "{pem}", "RSA_OAEP_3072_SHA256"],
          "wrapping algorithm RSA_OAEP_3072_SHA256 is for an RSA-3072 wrapping key, but the wrapping key is RSA-2048" },
        { "google: AES method size is not the wrapping key's", ["google-cloud-key-management", "k", "{pem}", "RSA_OAEP_4096_SHA256_AES_256", "-k", "HMAC-SHA256"],
          "wrapping algorithm RSA_OAEP_4096_SHA256_AES_256 is for an RSA-4096 wrapping key, but the wrapping key is RSA-2048" },
        { "google: direct method with an RSA key", ["google-cloud-key-management", "k", "{pem3072}", "RSA_OAEP_3072_SHA256", "-k", "RSA-2048"],
          "google-cloud-key-management: the direct import method RSA_OAEP_3072_SHA256 cannot wrap RSA keys (Google's rule); use an *_AES_256 method" },
        { "azure: AES into a vault", ["microsoft-azure", "k", "{pem}", "-a", Kek, "-k", "AES-256"],
          "microsoft-azure: Key Vault imports AES keys (AES-256) only into a Managed HSM; give -a with the Key Exchange Key of a Managed HSM" },
        { "oci: direct with an RSA key", ["oracle-cloud", "k", "{pem}", "RSA_OAEP_SHA256", "-k", "RSA-2048"],
          "oracle-cloud: RSA_OAEP_SHA256 wraps AES keys only; an RSA key needs RSA_OAEP_AES_SHA256" },
        { "unknown algorithm", ["aws", "k", "{der}", "RSA_OAEP_SHA_512"], "unknown wrapping algorithm 'RSA_OAEP_SHA_512' (expected one of: RSAES_OAEP_SHA_256, RSAES_OAEP_SHA_1, RSAES_PKCS1_V1_5, " },
        { "algorithm the provider does not take", ["google-cloud-key-management", "k", "{pem}", "RSAES_PKCS1_V1_5"], "wrapping algorithm RSAES_PKCS1_V1_5 is not supported by google-cloud-key-management (supported: RSAES_OAEP_SHA_256, RSAES_OAEP_SHA_1, RSA_OAEP_3072_SHA1_AES_256, " },
        { "missing algorithm", ["aws", "k", "{der}"], "aws needs a wrapping algorithm as the fourth argument (one of: RSAES_OAEP_SHA_256, RSAES_OAEP_SHA_1, RSAES_PKCS1_V1_5, RSA_AES_KEY_WRAP_SHA_256, RSA_AES_KEY_WRAP_SHA_1)" },
        { "missing algorithm for Google KMS", ["google-cloud-key-management", "k", "{pem}"], "google-cloud-key-management needs a wrapping algorithm" },
        { "algorithm given to azure", ["microsoft-azure", "k", "{pem}", "RSAES_OAEP_SHA_1", "-a", Kek], "microsoft-azure takes no wrapping algorithm" },
        { "azure without -a", ["microsoft-azure", "k", "{pem}"], "microsoft-azure needs -a/--azure-kek" },
        { "azure kek without version", ["microsoft-azure", "k", "{pem}", "-a", "https://v.vault.azure.net/keys/kek"], "is not a Key Exchange Key identifier (expected https://<vault-name>.vault.azure.net/keys/<key-name>/<key-version>" },
        { "azure kek over http", ["microsoft-azure", "k", "{pem}", "-a", "http://v.vault.azure.net/keys/kek/1"], "is not a Key Exchange Key identifier" },
        { "azure kek on another host", ["microsoft-azure", "k", "{pem}", "-a", "https://v.vault.azure.net.evil.example/keys/kek/1"], "is not a Key Exchange Key identifier" },
        { "azure kek with a query", ["microsoft-azure", "k", "{pem}", "-a", "https://v.vault.azure.net/keys/kek/1?x=y"], "is not a Key Exchange Key identifier" },
        { "-a for aws", ["aws", "k", "{der}", "RSAES_OAEP_SHA_1", "-a", Kek], "-a/--azure-kek is only used with microsoft-azure" },
        { "-O with -S", ["-O", "ocs1", "-S", "sc1", "aws", "k", "{der}", "RSAES_OAEP_SHA_1"], "-O/--ocs and -S/--softcard cannot be used together" },
        { "-M with -S", ["-M", "-S", "sc1", "aws", "k", "{der}", "RSAES_OAEP_SHA_1"], "cannot be used together" },
        { "path traversal in keyName", ["aws", "../escape", "{der}", "RSAES_OAEP_SHA_1"], "invalid keyName '../escape': it starts with '.'" },
        { "slash in keyName", ["aws", "a/b", "{der}", "RSAES_OAEP_SHA_1"], "invalid keyName 'a/b': '/' is not allowed" },
        { "space in keyName", ["aws", "a b", "{der}", "RSAES_OAEP_SHA_1"], "' ' is not allowed" },
        { "empty keyName", ["aws", "", "{der}", "RSAES_OAEP_SHA_1"], "invalid keyName '': it is empty" },
        { "long keyName", ["aws", new string('k', 65), "{der}", "RSAES_OAEP_SHA_1"], "it is 65 characters long" },
        { "unknown option", ["--frobnicate", "aws", "k", "{der}", "RSAES_OAEP_SHA_1"], "unknown option '--frobnicate'" },
        { "option without value", ["aws", "k", "{der}", "RSAES_OAEP_SHA_1", "-m"], "option -m needs a value (MODULE)" },
        { "module not a number", ["-m", "first", "aws", "k", "{der}", "RSAES_OAEP_SHA_1"], "invalid module 'first'" },
        { "too many arguments", ["aws", "k", "{der}", "RSAES_OAEP_SHA_1", "extra"], "unexpected argument 'extra'" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public void Usage_errors_exit_2_with_one_line_and_change_nothing(string why, string[] args, string expected)
    {
        _ = why;
        AssertRefused(args, 2, expected);
    }

    public static TheoryData<string, Func<Scratch, string>, string> WrapKeyErrors() => new()
    {
        { "missing file", s => s.PathOf("nope.der"), "does not exist" },
        { "directory", s => s.Dir("adir"), "is a directory" },
        { "empty file", s => s.Write("empty.der", []), "is empty" },
        { "garbage", s => s.Write("garbage.bin", [0x13, 0x37, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]), "is not a public key or certificate" },
        { "text garbage", s => s.Write("garbage.txt", "hello, this is not a key at all\n"), "is not a public key or certificate" },
        { "truncated DER", s => s.Write("trunc.der", File.ReadAllBytes(Der)[..200]), "is truncated: the DER structure declares 294 bytes but the file has 200" },
        { "truncated PEM", s => s.Write("trunc.pem", File.ReadAllText(Pem)[..200]), "has no END line (the file is truncated)" },
        { "oversized", s => s.Write("huge.der", new byte[70000]), "is 70000 bytes; a public key or certificate is under 64 KiB" },
        { "EC key", WrapKeyFiles.EcPublicKey, "holds an EC public key; the provider's wrapping key must be RSA" },
        { "RSA-1024", WrapKeyFiles.SmallRsa, "the RSA key is 1024 bits; providers' wrapping keys are at least 2048 bits" },
        { "PEM private key", s => ProviderKeyPair.Get(2048).PrivatePem, "holds a private key" },
        { "DER private key", s => s.Write("priv.der", OpenSsl.Ok(["pkey", "-in", ProviderKeyPair.Get(2048).PrivatePem, "-outform", "DER"])), "holds a private key" },
        { "PKCS#1 private key", s => s.Write("priv1.der", OpenSsl.Ok(["rsa", "-in", ProviderKeyPair.Get(2048).PrivatePem, "-outform", "DER", "-traditional"])), "holds a private key" },
        { "expired certificate", s => WrapKeyFiles.Certificate(s, DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1)), "the certificate expired on" },
        { "future certificate", s => WrapKeyFiles.Certificate(s, DateTimeOffset.UtcNow.AddDays(2), DateTimeOffset.UtcNow.AddDays(30)), "the certificate is not valid until" },
        { "bad base64 in PEM", s => s.Write("bad.pem", "-----BEGIN PUBLIC KEY-----\n!!!notbase64***\n-----END PUBLIC KEY-----\n"), "is not valid base64" },
        { "other PEM", s => s.Write("csr.pem", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"), "expected PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE" },
    };

    [Theory]
    [MemberData(nameof(WrapKeyErrors))]
    public void Bad_wrapping_key_files_exit_1_and_change_nothing(string why, Func<Scratch, string> make, string expected)
    {
        _ = why;
        using var scratch = new Scratch();
        var file = make(scratch);
        var result = AssertRefused(["aws", "k", file, "RSAES_OAEP_SHA_256"], 1, expected, scratch);
        Assert.Contains(file, result.Stderr);
    }

    [Fact]
    public void A_private_key_is_never_echoed()
    {
        using var scratch = new Scratch();
        var pem = ProviderKeyPair.Get(2048).PrivatePem;
        var result = AssertRefused(["aws", "k", pem, "RSAES_OAEP_SHA_256"], 1, "holds a private key", scratch);
        foreach (var line in File.ReadAllLines(pem).Where(l => !l.StartsWith("-----")))
        {
            Assert.DoesNotContain(line[..20], result.Stderr + result.Stdout);
        }
    }

    /// <summary>
    /// gcloud takes a CSEK wrapped key of exactly 344 base64 characters, what Google's RSA-2048 certificate gives; any
    /// other wrapping key would produce files Google refuses, so the export stops before a key is generated.
    /// </summary>
    [Theory]
    [InlineData(3072)]
    [InlineData(4096)]
    public void Google_compute_engine_refuses_a_wrapping_key_that_is_not_rsa_2048(int bits)
    {
        using var scratch = new Scratch();
        var certificate = ProviderKeyPair.Get(bits).CertificatePem;
        var result = AssertRefused(["google-compute-engine", "k", certificate, "RSAES_OAEP_SHA_1"], 1,
                                   $"google-compute-engine takes only an RSA-2048 wrapping key", scratch);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"this one is RSA-{bits}", line);
        Assert.Contains("344 base64 characters", line);
        Assert.Empty(result.Stdout);
        Assert.False(File.Exists(Path.Combine(Tool.In(scratch).WorldDirectory, "audit.log")), "a refused command line is not an export");
    }

    /// <summary>Vault reads the first 512 bytes of the ciphertext as the RSA part, so only its RSA-4096 wrapping key fits.</summary>
    [Theory]
    [InlineData(2048)]
    [InlineData(3072)]
    public void Hashicorp_vault_refuses_a_wrapping_key_that_is_not_rsa_4096(int bits)
    {
        using var scratch = new Scratch();
        var result = AssertRefused(["hashicorp-vault", "k", ProviderKeyPair.Get(bits).PublicPem, "RSA_AES_KEY_WRAP_SHA_256", "-k", "HMAC-SHA256"], 1,
                                   "hashicorp-vault takes only an RSA-4096 wrapping key", scratch);
        Assert.Contains($"this one is RSA-{bits}", result.Stderr);
        Assert.False(File.Exists(Path.Combine(Tool.In(scratch).WorldDirectory, "audit.log")), "a refused command line is not an export");
    }

    [Fact]
    public void Another_module_number_is_refused_with_the_list_of_modules()
    {
        var result = AssertRefused(["-m", "2", "aws", "k", "{der}", "RSAES_OAEP_SHA_1"], 1, "module 2 does not exist (available: 1 (embedded Security World at ");
        Assert.DoesNotContain("Exception", result.Stderr);
    }

    static ToolResult AssertRefused(string[] args, int exitCode, string expected, Scratch? shared = null)
    {
        using var own = shared is null ? new Scratch() : null;
        var scratch = shared ?? own!;
        var tool = Tool.In(scratch);
        var resolved = args.Select(a => a switch
        {
            "{der}" => Der,
            "{pem}" => Pem,
            "{pem3072}" => ProviderKeyPair.Get(3072).PublicPem,
            _ => a,
        }).ToArray();
        var result = tool.Run(resolved);
        Assert.True(exitCode == result.ExitCode, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var error = Assert.Single(lines, l => l.StartsWith("error: "));
        Assert.Contains(expected, error);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Empty(Directory.GetFiles(tool.WorkingDirectory));
        var keys = Path.Combine(tool.WorldDirectory, "keys");
        Assert.True(!Directory.Exists(keys) || Directory.GetFiles(keys).Length == 0, "a key was left behind");
        return result;
    }
}
