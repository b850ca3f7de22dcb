using System.Text.Json;
using CloudIntegration.Providers;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Ceremony;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>The guide's command line: help, version, option forms, warnings, and the cssadmin variant.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void Help_explains_every_option_provider_algorithm_and_key_type()
    {
        using var scratch = new Scratch();
        var result = Tool.In(scratch).Run("-h");
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("usage: cloud_integration_tool [-h] [--version] [-m MODULE] [-O CARDSET | -S SOFTCARD | -M] [-a AZUREKEK] [-k KEYTYPE] provider keyName wrapKey [wrapAlg]", result.Stdout);
        foreach (var word in new[] { "--module", "--ocs", "--softcard", "--module-protection", "--azure-kek", "--key-type", "--version",
                                     "aws", "google-compute-engine", "google-cloud-key-management", "microsoft-azure", "salesforce",
                                     "RSAES_OAEP_SHA_256", "RSAES_OAEP_SHA_1", "RSAES_PKCS1_V1_5",
                                     "AES-256", "RSA-2048", "RSA-3072", "RSA-4096", "EC-NISTP256", "EC-NISTP384", "EC-NISTP521", "EC-SECP256K1",
                                     "managedhsm.azure.net" })
        {
            Assert.Contains(word, result.Stdout);
        }
        Assert.Equal(result.Stdout, Tool.In(scratch).Run("aws", "--help").Stdout);
    }

    [Fact]
    public void Version_is_printed()
    {
        using var scratch = new Scratch();
        var result = Tool.In(scratch).Run("--version");
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^cloud_integration_tool \d+\.\d+\.\d+\n$", result.Stdout);
    }

    /// <summary>
    /// Each form of the module options gives a key openssl unwraps from the export (and whose public key is the one
    /// the store lists), protected by the module: as the store's key file records it and as 'keys show' reports it.
    /// </summary>
    [Theory]
    [InlineData("-m1 -M")]
    [InlineData("-m 1 --module-protection")]
    [InlineData("--module=1")]
    [InlineData("--module 1 -M")]
    public void Module_options_in_argparse_forms_before_or_after_the_positionals_give_a_module_protected_key(string options)
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var pair = ProviderKeyPair.Get(2048);
        var c = new ExportCase("microsoft-azure", "EC-NISTP256", null, 2048, WrapKeyForm.PemSpki);
        var result = tool.Run(["microsoft-azure", "k1", pair.PublicPem, $"--azure-kek={ExportCase.AzureKek}", "--key-type", "EC-NISTP256", .. options.Split(' ')]);
        Assert.True(result.ExitCode == 0, result.ToString());

        var pkcs8 = ProviderOracle.Import(c, tool.WorkingDirectory, "k1", pair);
        var shown = tool.Keys("show", "k1", "--json").Ok().Json();
        Assert.Equal(CeremonyTool.Sha256Hex(OpenSsl.PublicKeyOf(pkcs8)), shown.GetProperty("fingerprint").GetString());
        Assert.Equal("module", shown.GetProperty("protection").GetString());
        Assert.Equal("module", StoredProtection(tool, "k1"));
    }

    /// <summary>The protection in the key file's header line (format: KeyStores/SoftwareWorld/KeyFile.cs).</summary>
    static string? StoredProtection(Tool tool, string keyName)
    {
        var header = File.ReadLines(Path.Combine(tool.WorldDirectory, "keys", keyName + ".key")).ElementAt(1);
        using var json = JsonDocument.Parse(header);
        return json.RootElement.GetProperty("protection").GetString();
    }

    [Theory]
    [InlineData("aws", "RSAES_PKCS1_V1_5", "AWS KMS has refused RSAES_PKCS1_V1_5 since 10 October 2023")]
    [InlineData("google-compute-engine", "RSAES_OAEP_SHA_256", "Google Compute Engine accepts only RSAES_OAEP_SHA_1")]
    [InlineData("google-compute-engine", "RSAES_OAEP_SHA_1", "Google has deprecated customer-supplied encryption keys")]
    [InlineData("salesforce", "RSAES_PKCS1_V1_5", "Salesforce documents RSAES_OAEP_SHA_512 (recommended) and RSAES_OAEP_SHA_1 for tenant secrets; RSAES_PKCS1_V1_5 may be refused")]
    public void Provider_warnings_are_printed_but_do_not_stop_the_export(string provider, string algorithm, string warning)
    {
        using var scratch = new Scratch();
        var result = Tool.In(scratch).Run(provider, "k1", ProviderKeyPair.Get(2048).CertificatePem, algorithm);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("warning: " + warning, result.Stderr);
    }

    [Fact]
    public void The_wrapping_key_size_and_fingerprint_are_shown_for_out_of_band_comparison()
    {
        using var scratch = new Scratch();
        var pair = ProviderKeyPair.Get(3072);
        var fingerprint = Convert.ToHexStringLower(OpenSsl.Ok(["dgst", "-sha256", "-binary"], File.ReadAllBytes(pair.PublicDer)));
        foreach (var file in new[] { pair.PublicDer, pair.PublicPem, pair.PublicBase64, pair.CertificatePem, pair.CertificateDer })
        {
            var result = Tool.In(scratch).Run("aws", "k1", file, "RSAES_OAEP_SHA_256");
            Assert.Contains($"wrapping key: RSA-3072 (", result.Stderr);
            Assert.Contains($"SHA-256 fingerprint {fingerprint}", result.Stderr);
        }
    }

    [Fact]
    public void Every_form_a_provider_hands_out_is_accepted()
    {
        using var scratch = new Scratch();
        var pair = ProviderKeyPair.Get(2048);
        var rsaPublicKey = scratch.Write("pkcs1.pem", OpenSsl.Ok(["rsa", "-pubin", "-in", pair.PublicPem, "-RSAPublicKey_out"]));
        var rsaPublicKeyDer = scratch.Write("pkcs1.der", OpenSsl.Ok(["rsa", "-pubin", "-in", pair.PublicPem, "-RSAPublicKey_out", "-outform", "DER"]));
        var windows = scratch.Write("windows.pem", [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.ASCII.GetBytes(File.ReadAllText(pair.PublicPem).Replace("\n", "\r\n"))]);
        var wrappedBase64 = scratch.Write("wrapped.b64", OpenSsl.Ok(["base64"], File.ReadAllBytes(pair.PublicDer)));
        var aws = ExportCases.All.First(c => c.Provider == "aws" && c.Algorithm == "RSAES_OAEP_SHA_1") with { WrappingBits = 2048 };
        foreach (var file in new[] { rsaPublicKey, rsaPublicKeyDer, windows, wrappedBase64 })
        {
            var tool = Tool.In(scratch);
            var result = tool.Run(aws.Arguments("k-" + Path.GetFileNameWithoutExtension(file), file));
            Assert.True(result.ExitCode == 0, file + ": " + result);
            ProviderOracle.Import(aws, tool.WorkingDirectory, "k-" + Path.GetFileNameWithoutExtension(file), pair);
        }
    }

    [Fact]
    public void A_weaker_wrapping_key_is_warned_about_naming_both_strengths()
    {
        using var scratch = new Scratch();
        var result = Tool.In(scratch).Run("microsoft-azure", "k1", ProviderKeyPair.Get(2048).PublicPem, "-a", ExportCase.AzureKek, "-k", "EC-NISTP256");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("warning: the wrapping key (RSA-2048, 112-bit security) is weaker than the key it carries (EC-NISTP256, 128-bit security)", result.Stderr);
    }

    /// <summary>
    /// No provider hands out a wrapping key above RSA-4096 (152 bits), so AES-256 is always carried by a weaker key; a
    /// wrapping of 128 bits or more is not warned about, and both strengths are shown as facts instead.
    /// </summary>
    [Fact]
    public void An_adequate_wrapping_key_is_not_warned_about_and_both_strengths_are_shown()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var text = tool.Run("aws", "k1", ProviderKeyPair.Get(4096).PublicDer, "RSAES_OAEP_SHA_256");
        Assert.Equal(0, text.ExitCode);
        Assert.DoesNotContain("warning", text.Stderr + text.Stdout);
        Assert.Contains("  security strength (NIST SP 800-57): key 256 bits, wrapping key 152 bits\n", text.Stdout);

        var json = tool.Run("google-cloud-key-management", "k2", ProviderKeyPair.Get(3072).PublicPem, "RSAES_OAEP_SHA_1", "-k", "RSA-4096", "--json");
        Assert.Equal(0, json.ExitCode);
        Assert.DoesNotContain("weaker", json.Stderr);
        using var report = System.Text.Json.JsonDocument.Parse(json.Stdout);
        Assert.Equal(152, report.RootElement.GetProperty("key").GetProperty("strengthBits").GetInt32());
        Assert.Equal(128, report.RootElement.GetProperty("wrappingKey").GetProperty("strengthBits").GetInt32());
        Assert.Equal(0, report.RootElement.GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public void A_wrapping_key_below_128_bits_is_warned_about_only_when_weaker_than_the_key()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var aes = tool.Run("aws", "k1", ProviderKeyPair.Get(2048).PublicDer, "RSAES_OAEP_SHA_256");
        Assert.Equal(0, aes.ExitCode);
        Assert.Contains("warning: the wrapping key (RSA-2048, 112-bit security) is weaker than the key it carries (AES-256, 256-bit security)", aes.Stderr);
        Assert.Contains("warnings (also shown above):", aes.Stdout);

        var rsa = tool.Run("microsoft-azure", "k2", ProviderKeyPair.Get(2048).PublicPem, "-a", ExportCase.AzureKek, "-k", "RSA-2048");
        Assert.Equal(0, rsa.ExitCode);
        Assert.DoesNotContain("weaker", rsa.Stderr);
        Assert.Contains("  security strength (NIST SP 800-57): key 112 bits, wrapping key 112 bits\n", rsa.Stdout);
    }

    [Fact]
    public void Cssadmin_takes_no_algorithm_for_google_kms_and_uses_oaep_sha1()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var cssadmin = new Tool { WorldDirectory = tool.WorldDirectory, WorkingDirectory = tool.WorkingDirectory, Flavor = ProgramFlavor.Cssadmin };
        var pair = ProviderKeyPair.Get(3072);

        var help = cssadmin.Run("-h");
        Assert.StartsWith("usage: cssadmin [-h]", help.Stdout);

        var refused = cssadmin.Run("google-cloud-key-management", "k1", pair.PublicPem, "RSAES_OAEP_SHA_256");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("google-cloud-key-management takes no wrapping algorithm", refused.Stderr);

        var result = cssadmin.Run("google-cloud-key-management", "k1", pair.PublicPem, "-k", "EC-NISTP384");
        Assert.True(result.ExitCode == 0, result.ToString());
        var c = new ExportCase("google-cloud-key-management", "EC-NISTP384", "RSAES_OAEP_SHA_1", 3072, WrapKeyForm.PemSpki);
        ProviderOracle.Import(c, cssadmin.WorkingDirectory, "k1", pair);
    }

    [Fact]
    public void The_launcher_scripts_run_the_tool_from_a_checkout()
    {
        var root = RepositoryRoot();
        foreach (var (script, name) in new[] { ("cloud_integration_tool", "cloud_integration_tool"), ("cssadmin", "cssadmin") })
        {
            var result = Processes.Run(Path.Combine(root, script), ["--version"]);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.StartsWith(name + " ", result.Stdout);
        }
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CloudIntegration.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
