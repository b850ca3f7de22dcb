using System.Text.RegularExpressions;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>
/// The PKCS#11 backend against real SoftHSM2 tokens, beyond the export table: listing, PINs, token selection, keys
/// made by other tools, what other tools can see of our keys, and what a failed or raced export leaves behind.
/// Correctness of every export is judged by openssl unwrapping it; no test reads a key through a back door.
/// </summary>
public sealed class Pkcs11TokenTests
{
    static readonly ExportCase Aws = ExportCases.All.First(c => c.Provider == "aws" && c.Algorithm == "RSAES_OAEP_SHA_1");
    static readonly ExportCase AwsSha256 = ExportCases.All.First(c => c.Provider == "aws" && c.Algorithm == "RSAES_OAEP_SHA_256");
    static ProviderKeyPair Pair => ProviderKeyPair.Get(Aws.WrappingBits);
    static string[] AwsArgs(string keyName) => Aws.Arguments(keyName, Pair.WrapKeyFile(Aws.Form));

    [Fact]
    public void Info_lists_the_library_its_tokens_and_the_mechanisms_the_tool_needs()
    {
        using var scratch = new Scratch();
        var hsm = SoftHsm.Create(scratch, "alpha", "beta");
        var tool = Tool.In(scratch);
        tool.Environment["SOFTHSM2_CONF"] = hsm.ConfigPath;      // the library comes from the option this time
        var result = tool.RunProcess("info", "--pkcs11-library", SoftHsm.Library);
        Assert.True(result.ExitCode == 0, result.ToString());
        var text = result.Stdout;

        Assert.Contains($"PKCS#11 library: {SoftHsm.Library}", text);
        Assert.Contains("manufacturer SoftHSM, \"Implementation of PKCS11\", library version 2.6, Cryptoki 2.40", text);
        Assert.Contains("3 slots, 2 initialized tokens", text);
        Assert.Contains("token present, not initialized", text);
        var serials = hsm.Ok("softhsm2-util", ["--show-slots"]).Stdout;
        foreach (var label in new[] { "alpha", "beta" })
        {
            Assert.Matches($"module [12]: token '{label}'", text);
            var serial = Regex.Match(serials, $@"Serial number:\s+(\w+)\s+Initialized:\s+yes\s+User PIN init.:\s+yes\s+Label:\s+{label}\b").Groups[1].Value;
            Assert.NotEmpty(serial);
            Assert.Contains($"serial {serial}, model SoftHSM v2, manufacturer SoftHSM project", text);
        }
        Assert.Contains("state: initialized; login: required (user PIN)", text);
        Assert.Contains("CKM_RSA_PKCS_OAEP          listed (key sizes 512-16384)", text);
        Assert.Contains("CKM_RSA_AES_KEY_WRAP       not listed", text);
        Assert.Contains("CKM_AES_KEY_WRAP_KWP       not listed", text);
        foreach (var name in new[] { "CKM_AES_KEY_WRAP_PAD", "CKM_AES_KEY_GEN", "CKM_RSA_PKCS_KEY_PAIR_GEN", "CKM_EC_KEY_PAIR_GEN", "CKM_SHA256" })
        {
            Assert.Matches($"(?m)^      {name} +listed", text);
        }
        // What an export will trust is what the known-answer tests proved, for each token.
        Assert.Equal(2, Regex.Matches(text, "RSA-OAEP with SHA-1 and MGF1-SHA-1: proven").Count);
        Assert.Contains("RSA-OAEP with SHA-256 and MGF1-SHA-256: refused (C_WrapKey failed: CKR_ARGUMENTS_BAD)", text);
        // Every RSA padding a provider can ask for is rehearsed, on each token.
        foreach (var padding in Wrapping.RsaPadding.All) Assert.Equal(2, Regex.Matches(text, Regex.Escape(padding.Description + ": ")).Count);
        Assert.Contains("CKM_AES_KEY_WRAP_PAD, AES-256 targets: proven", text);
        Assert.Contains("CKM_AES_KEY_WRAP_PAD, RSA and EC targets (PKCS#8, any length): not trusted: " + SoftHsmToken.PadLengthQuirk, text);
        Assert.Contains("SHA-256 of a key (C_DigestKey): proven", text);
        // The known-answer tests used session objects only: nothing is left on either token.
        Assert.DoesNotContain("Object", hsm.Pkcs11Tool("alpha", "--list-objects").Stdout);
        Assert.DoesNotContain("Object", hsm.Pkcs11Tool("beta", "--list-objects").Stdout);
    }

    [Fact]
    public void An_in_process_run_cannot_reach_the_systems_softhsm_tokens()
    {
        // The test process's native SOFTHSM2_CONF points nowhere (see SoftHsm), so SoftHSM refuses to start here
        // rather than open /etc/softhsm's tokens; it also shows how the tool reports a library that will not start.
        using var scratch = new Scratch();
        var tool = SoftHsm.Create(scratch, "ceremony").Configure(Tool.In(scratch));
        tool.ChildProcess = false;
        var result = tool.Run("info");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error: PKCS#11 library {SoftHsm.Library} could not start: C_Initialize failed: CKR_GENERAL_ERROR " +
                        "(check the library's configuration, e.g. SOFTHSM2_CONF for SoftHSM)", result.Stderr);
    }

    [Fact]
    public void A_wrong_pin_is_refused_clearly_and_nothing_is_made()
    {
        using var scratch = new Scratch();
        var hsm = SoftHsm.Create(scratch, "ceremony");
        var tool = hsm.Configure(Tool.In(scratch), pin: "9999");
        var result = tool.RunProcess(AwsArgs("k1"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: the user PIN for token 'ceremony' is incorrect (C_Login failed: CKR_PIN_INCORRECT)", result.Stderr);
        Assert.DoesNotContain("9999", result.Stderr + result.Stdout);
        Assert.Empty(Directory.GetFiles(tool.WorkingDirectory));
        Assert.DoesNotContain("label:", hsm.Pkcs11Tool("ceremony", "--list-objects").Stdout);
    }

    [Fact]
    public void The_pin_comes_from_a_pin_file_or_standard_input_never_the_command_line()
    {
        using var scratch = new Scratch();
        var hsm = SoftHsm.Create(scratch, "ceremony");
        var tool = hsm.Configure(Tool.In(scratch), pin: null);

        var none = tool.RunProcess(AwsArgs("k1"));
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("error: standard input has no more lines; expected one for: user PIN for PKCS#11 token 'ceremony'", none.Stderr);

        var fromFile = tool.RunProcess([.. AwsArgs("k1"), "--pin-file", scratch.Write("pin.txt", SoftHsm.UserPin + "\n")]);
        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        ProviderOracle.Import(Aws, tool.WorkingDirectory, "k1", Pair);
    }

    [Fact]
    public void Tokens_are_selected_by_position_label_or_serial_and_by_the_softcard_or_card_set_name()
    {
        using var scratch = new Scratch();
        var hsm = SoftHsm.Create(scratch, "alpha", "beta");
        var tool = hsm.Configure(Tool.In(scratch));
        var serial = Regex.Match(hsm.Pkcs11Tool("beta", "--list-token-slots").Stdout, @"token label\s*:\s*beta\s.*?serial num\s*:\s*(\w+)", RegexOptions.Singleline).Groups[1].Value;
        Assert.NotEmpty(serial);
        var position = Regex.Match(tool.RunProcess("info").Stdout, @"module (\d): token 'beta'").Groups[1].Value;

        foreach (var (selector, key) in new[] { (new[] { "-m", position }, "byposition"), (["-m", "beta"], "bylabel"), (["-m", serial], "byserial"),
                                                (["-S", "beta"], "bysoftcard"), (["-O", "beta", "-m", "beta"], "bycardset") })
        {
            var result = tool.RunProcess([.. selector, .. AwsArgs(key)]);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains($"label:      {key}", hsm.Pkcs11Tool("beta", "--list-objects").Stdout);
            if (key == "bysoftcard") Assert.Contains("softcard 'beta'", result.Stdout);
        }
        Assert.DoesNotContain("label:", hsm.Pkcs11Tool("alpha", "--list-objects").Stdout);

        var missingLabel = tool.RunProcess(["-S", "gamma", .. AwsArgs("k2")]);
        Assert.Equal(1, missingLabel.ExitCode);
        Assert.Matches(@"error: no token is labelled 'gamma' \(given with -S/--softcard\); available tokens: [12] '(alpha|beta)' \(serial \w+\), [12] '(alpha|beta)' \(serial \w+\)", missingLabel.Stderr);
        var missingModule = tool.RunProcess(["-m", "3", .. AwsArgs("k2")]);
        Assert.Contains("error: no token is module 3 (by position, label or serial); available tokens: ", missingModule.Stderr);
        var conflict = tool.RunProcess(["-m", "alpha", "-S", "beta", .. AwsArgs("k2")]);
        Assert.Equal(2, conflict.ExitCode);
        Assert.Contains("error: -m alpha selects token ", conflict.Stderr);
    }

    [Fact]
    public void A_key_made_by_another_tool_is_refused_and_left_alone()
    {
        using var scratch = new Scratch();
        var hsm = SoftHsm.Create(scratch, "ceremony");
        hsm.Pkcs11Tool("ceremony", "--keygen", "--key-type", "AES:32", "--label", "foreign", "--id", "0102");
        var tool = hsm.Configure(Tool.In(scratch));
        var result = tool.RunProcess(AwsArgs("foreign"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: key 'foreign' was not created by this tool and will not be exported (token 'ceremony' holds a secret key " +
                        "labelled 'foreign' whose CKA_ID '0102' lacks this tool's marker", result.Stderr);
        Assert.Empty(Directory.GetFiles(tool.WorkingDirectory));
        Assert.Contains("label:      foreign", hsm.Pkcs11Tool("ceremony", "--list-objects").Stdout);
    }

    [Fact]
    public void Generated_keys_are_sensitive_token_objects_whose_value_no_other_tool_can_read()
    {
        using var scratch = new Scratch();
        var hsm = SoftHsm.Create(scratch, "ceremony");
        var tool = hsm.Configure(Tool.In(scratch));
        Assert.Equal(0, tool.RunProcess(AwsArgs("aes1")).ExitCode);
        // SoftHSM 2.6.1 cannot wrap a PKCS#8 key as RFC 5649 (see SoftHsmToken): refused by name, nothing generated.
        var azure = ExportCases.All.First(c => c.Provider == "microsoft-azure" && c.KeyType == "EC-NISTP256");
        var ec = tool.RunProcess(azure.Arguments("ec1", ProviderKeyPair.Get(azure.WrappingBits).WrapKeyFile(azure.Form)));
        Assert.Equal(1, ec.ExitCode);
        Assert.Contains(SoftHsmToken.PadLengthQuirk, ec.Stderr);

        var objects = hsm.Pkcs11Tool("ceremony", "--list-objects").Stdout;
        var blocks = Regex.Split(objects, @"\n(?=\S)").Where(b => b.Contains("label:")).ToList();
        Assert.Single(blocks);   // the AES key, and nothing of the refused EC key
        foreach (var block in blocks)
        {
            Assert.Matches(@"ID:\s+43495431[0-9a-f]{32}\b", block);     // "CIT1", created at, random
            Assert.Contains("Usage:      none", block);
            if (!block.StartsWith("Public Key")) Assert.Contains("Access:     sensitive, always sensitive, extractable, local", block);
        }
        // pkcs11-tool reads CKA_VALUE of secret keys only ("reading private keys not (yet) supported"); the private
        // half's sensitivity is what --list-objects showed above, read from its CKA_SENSITIVE and CKA_ALWAYS_SENSITIVE.
        var read = hsm.Pkcs11Tool("ceremony", "--read-object", "--type", "secrkey", "--label", "aes1");
        Assert.NotEqual(0, read.ExitCode);
        Assert.Contains("C_GetAttributeValue(VALUE) failed: rv = CKR_ATTRIBUTE_SENSITIVE", read.Stderr);
    }

    [Fact]
    public void A_refused_mechanism_fails_before_any_key_is_generated()
    {
        using var scratch = new Scratch();
        var hsm = SoftHsm.Create(scratch, "ceremony");
        var tool = hsm.Configure(Tool.In(scratch));
        var result = tool.RunProcess(AwsSha256.Arguments("k1", ProviderKeyPair.Get(AwsSha256.WrappingBits).WrapKeyFile(AwsSha256.Form)));
        Assert.Equal(1, result.ExitCode);
        var error = Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("error: "));
        Assert.Equal("error: token 'ceremony' cannot wrap with CKM_RSA_PKCS_OAEP (hashAlg=CKM_SHA256, mgf=CKG_MGF1_SHA256, empty label): " +
                     "C_WrapKey failed: CKR_ARGUMENTS_BAD; wrapping algorithms that work with this token: RSAES_OAEP_SHA_1, RSAES_PKCS1_V1_5, " +
                     "RSA_AES_KEY_WRAP_SHA_1 " +
                     "(keys are never wrapped outside the token)", error);
        Assert.DoesNotContain("label:", hsm.Pkcs11Tool("ceremony", "--list-objects").Stdout);
    }

    [Fact]
    public void A_failed_write_destroys_both_halves_of_the_new_key_pair()
    {
        using var scratch = new Scratch();
        var nss = Nss.Create(scratch, NssToken.Label);
        var tool = nss.Configure(Tool.In(scratch));
        tool.Stdin = Nss.Pin + "\n";
        var google = ExportCases.All.First(c => c.Provider == "google-cloud-key-management" && c.KeyType == "EC-NISTP384" && c.Algorithm == "RSAES_OAEP_SHA_1");
        Directory.CreateDirectory(Path.Combine(tool.WorkingDirectory, "k1-wrapped.bin"));   // the output's name is taken
        var result = tool.RunProcess(google.Arguments("k1", ProviderKeyPair.Get(google.WrappingBits).WrapKeyFile(google.Form)));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: could not write", result.Stderr);
        var keys = nss.Certutil("-K");
        Assert.Contains("no keys found", keys.Stdout + keys.Stderr);
    }

    [Fact]
    public void Concurrent_exports_of_a_new_name_end_with_one_key_that_every_output_wraps()
    {
        using var scratch = new Scratch();
        var hsm = SoftHsm.Create(scratch, "ceremony");
        var tools = Enumerable.Range(0, 3).Select(i => hsm.Configure(new Tool { WorldDirectory = Path.Combine(scratch.Root, "world"), WorkingDirectory = scratch.Dir("out" + i) })).ToList();
        Tool.RunConcurrently(tools, AwsArgs("raced"));
        var plaintexts = tools.Select(t => ProviderOracle.Import(Aws, t.WorkingDirectory, "raced", Pair)).ToList();
        Assert.All(plaintexts, p => Assert.Equal(plaintexts[0], p));
        Assert.Single(Regex.Matches(hsm.Pkcs11Tool("ceremony", "--list-objects").Stdout, "label:      raced"));
    }
}
