using System.Text.Json;
using CloudIntegration.Ceremony;
using CloudIntegration.Errors;
using CloudIntegration.Keys;
using CloudIntegration.Providers;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>
/// One validated request per command: the same options are checked the same way by every command, the world is opened
/// once per command, the files' facts come from what was written, and a failed command's stderr is its error line.
/// </summary>
public sealed class RequestTests
{
    static readonly ExportCase Aws = ExportCases.All.First(c => c.Provider == "aws" && c.Algorithm == "RSAES_OAEP_SHA_256");
    static string WrapKey => ProviderKeyPair.Get(Aws.WrappingBits).WrapKeyFile(Aws.Form);

    public static TheoryData<string[], string> ConflictsEveryCommandRefuses() => new()
    {
        { ["-S", "a", "-O", "b"], "-O/--ocs and -S/--softcard cannot be used together" },
        { ["-M", "-S", "a"], "-S/--softcard and -M/--module-protection cannot be used together" },
        { ["-S", "../a"], "invalid -S/--softcard name '../a'" },
        { ["--card", "x.card"], "--card is only used with -O CARDSET" },
        { ["--passphrase-file", "p"], "--passphrase-file is only used with -S SOFTCARD or -O CARDSET" },
        { ["--pin-file", "pin"], "--pin-file is only used with a PKCS#11 library" },
        { ["-m", "first"], "invalid module 'first'" },
        { ["-m", ""], "invalid module ''" },
        { ["--pkcs11-library", "/nonexistent/lib.so", "-S", "a", "--passphrase-file", "p"], "--passphrase-file is only used with the embedded Security World" },
        { ["--pkcs11-library", "/nonexistent/lib.so", "-O", "a", "--card", "c"], "--card is only used with the embedded Security World" },
    };

    [Theory]
    [MemberData(nameof(ConflictsEveryCommandRefuses))]
    public void The_export_and_the_keys_commands_refuse_the_same_options_with_the_same_words(string[] options, string expected)
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        string[][] commands = [[.. options, .. Aws.Arguments("k1", WrapKey)], ["keys", "list", .. options], ["keys", "show", "k1", .. options]];
        foreach (var args in commands)
        {
            var result = tool.Run(args);
            Assert.True(result.ExitCode == 2, string.Join(' ', args) + "\n" + result);
            Assert.StartsWith($"error: {expected}", Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        }
        Assert.False(Directory.Exists(tool.WorldDirectory), "a refused command created the world");
    }

    [Fact]
    public void A_world_open_to_others_is_warned_about_once_per_command()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        Assert.Equal(0, tool.Run(Aws.Arguments("k1", WrapKey)).ExitCode);
        File.SetUnixFileMode(tool.WorldDirectory, (UnixFileMode)Convert.ToInt32("755", 8));
        const string Warning = "is accessible to other users; run: chmod 700";

        var export = tool.Run(Aws.Arguments("k1", WrapKey));
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Single(export.Stderr.Split('\n'), l => l.Contains(Warning));
        Assert.Single(export.Stdout.Split('\n'), l => l.Contains(Warning));   // the summary repeats the warning once
        foreach (var command in new[] { new[] { "keys", "list" }, ["keys", "show", "k1"], ["keys", "destroy", "k1", "--yes"] })
        {
            var result = tool.Run(command);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Single(result.Stderr.Split('\n'), l => l.Contains(Warning));
        }
    }

    /// <summary>Issue 9, defect 10: a failure after the wrapping key was read and warnings were noted prints only its error.</summary>
    [Fact]
    public void A_failed_command_prints_its_error_line_and_nothing_else()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var pkcs1 = new[] { "aws", "k1", WrapKey, "RSAES_PKCS1_V1_5" };   // AWS's refusal of PKCS#1 v1.5 is a warning
        Assert.Equal(0, tool.Run(pkcs1).ExitCode);
        File.SetUnixFileMode(tool.WorldDirectory, (UnixFileMode)Convert.ToInt32("755", 8));   // and so is an open world

        (string[] Args, int Code, string Error)[] failures =
        [
            // After the wrapping key, the provider's warning and the world's: the output directory is missing.
            ([.. pkcs1, "--output-dir", scratch.PathOf("missing")], 1, "the output directory does not exist"),
            // After the key store opened: the key exists with another protection.
            ([.. pkcs1, "-S", "sc"], 2, "key 'k1' is module protected, but softcard 'sc' (-S sc) was given"),
            (["keys", "show", "nope"], 1, "no key 'nope' in the embedded Security World"),
            (["keys", "destroy", "nope", "--yes"], 1, "no key 'nope'"),
        ];
        foreach (var (args, code, error) in failures)
        {
            var result = tool.Run(args);
            Assert.True(result.ExitCode == code, string.Join(' ', args) + "\n" + result);
            var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: ", line);
            Assert.Contains(error, line);
        }

        var success = tool.Run(pkcs1);
        Assert.Equal(0, success.ExitCode);
        Assert.Contains("wrapping key: RSA-", success.Stderr);
        Assert.Contains("warning: AWS KMS has refused RSAES_PKCS1_V1_5", success.Stderr);
    }

    [Fact]
    public void The_reported_and_recorded_file_hashes_are_those_of_the_files_on_disk()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var salesforce = ExportCases.All.First(c => c.Provider == "salesforce");
        var pair = ProviderKeyPair.Get(salesforce.WrappingBits);
        var result = tool.Run([.. salesforce.Arguments("k1", pair.WrapKeyFile(salesforce.Form)), "--json"]);
        Assert.True(result.ExitCode == 0, result.ToString());

        using var report = JsonDocument.Parse(result.Stdout);
        var files = report.RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(new[] { "k1-hash", "k1-wrapped" }, files.Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        var audit = File.ReadAllLines(Path.Combine(tool.WorldDirectory, "audit.log"))[^1];
        foreach (var file in files)
        {
            var path = file.GetProperty("path").GetString()!;
            var sha256 = Convert.ToHexStringLower(OpenSsl.Ok(["dgst", "-sha256", "-binary", path]));
            Assert.Equal(sha256, file.GetProperty("sha256").GetString());
            Assert.Equal(new FileInfo(path).Length, file.GetProperty("bytes").GetInt64());
            Assert.Contains(sha256, audit);
        }
    }

    /// <summary>The request a ceremony file builds: plain values in, the same validation, paths against the file's directory.</summary>
    [Fact]
    public void A_request_built_without_a_command_line_is_validated_the_same_way()
    {
        var providers = ProviderRegistry.For(ProgramFlavor.CloudIntegrationTool);
        var context = new RequestContext("/ceremony", "/ceremony/world", null);
        var input = new ExportInput { Provider = "aws", KeyName = "k1", WrapKey = "keys/aws.der", WrapAlgorithm = "RSAES_OAEP_SHA_1" };

        var request = ExportRequest.Validate(input with { OutputDirectory = "out", KeyStore = new() { Softcard = "sc", PassphraseFile = "p.txt" } }, providers, context);
        Assert.Equal("/ceremony/keys/aws.der", request.WrapKeyPath);
        Assert.Equal("/ceremony/out", request.OutputDirectory);
        Assert.Equal("/ceremony/p.txt", request.KeyStore.PassphraseFile);
        Assert.Equal(Protection.Softcard("sc"), request.Protection);
        Assert.Equal(1, request.KeyStore.WorldModule);

        var conflict = Assert.Throws<UsageError>(() => ExportRequest.Validate(input with { KeyStore = new() { Softcard = "a", CardSet = "b" } }, providers, context));
        Assert.StartsWith("-O/--ocs and -S/--softcard cannot be used together", conflict.Message);
        var module = Assert.Throws<UsageError>(() => KeyStoreRequest.Validate(new KeyStoreInput { Module = "first" }, context));
        Assert.StartsWith("invalid module 'first'", module.Message);
        // With a PKCS#11 library, -m may name a token by label; it is parsed once, as text and number.
        var token = KeyStoreRequest.Validate(new KeyStoreInput { Module = "hsm-1" }, context with { Pkcs11LibraryFromEnvironment = "/lib/p11.so" });
        Assert.Equal(("hsm-1", (int?)null, "/lib/p11.so"), (token.Module!.Text, token.ModuleNumber, token.Pkcs11Library));
    }
}
