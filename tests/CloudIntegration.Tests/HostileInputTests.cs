using System.Formats.Asn1;
using System.Numerics;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Ceremony;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>
/// What an outside tester threw at the tool: devices, pipes and FIFOs where files belong, newlines in arguments,
/// keys the platform would choke on, paths that are not what they seem, a damaged key among good ones. Each ends in
/// exactly one clear error line (no runtime resource key, no "unexpected failure") and nothing else.
/// </summary>
public sealed class HostileInputTests
{
    static readonly ExportCase Aws = ExportCases.All.First(c => c.Provider == "aws" && c.Algorithm == "RSAES_OAEP_SHA_256");
    static string WrapKey => ProviderKeyPair.Get(Aws.WrappingBits).WrapKeyFile(Aws.Form);

    /// <summary>Exit 1, and stderr is exactly one line: the error, containing <paramref name="expected"/>.</summary>
    static void AssertOneLineError(ToolResult result, string expected, int exitCode = 1)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        var error = Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains(expected, error);
        Assert.DoesNotContain("unexpected failure", result.Stderr);
        Assert.DoesNotMatch("[A-Z][a-z]+_[A-Z][A-Za-z]+_", result.Stderr);   // a runtime resource key such as IO_FileNotFound_FileName
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/dev/urandom")]
    public void A_device_as_the_wrapping_key_or_a_secrets_file_is_read_only_up_to_the_limit(string device)
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        AssertOneLineError(tool.Run(Aws.Arguments("k1", device)), $"wrapping key file {device}: is larger than 64 KiB");
        AssertOneLineError(tool.Run("softcard", "new", "sc", "--passphrase-file", device), $"the secrets file {device} is larger than 64 KiB");
    }

    [Fact]
    public async Task A_fifo_without_a_writer_does_not_hang_and_an_endless_one_is_cut_at_the_limit()
    {
        if (OperatingSystem.IsWindows()) return;
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var fifo = scratch.PathOf("fifo");
        Assert.Equal(0, Processes.Run("mkfifo", [fifo]).ExitCode);
        AssertOneLineError(tool.Run(Aws.Arguments("k1", fifo)), "is empty");

        // An endless writer: this test holds the FIFO open for reading and writing (so no open blocks) and writes far
        // more than the limit; the tool must stop at the limit. Then the rest is drained and the writer closes.
        var writeEnd = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
        var writer = Task.Run(() =>
        {
            using (writeEnd)
            {
                var block = new byte[4096];
                for (var i = 0; i < 256; i++) writeEnd.Write(block);
            }
        });
        AssertOneLineError(tool.Run(Aws.Arguments("k1", fifo)), "is larger than 64 KiB");
        using (var drain = new FileStream(fifo, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1))
        {
            var buffer = new byte[65536];
            while (drain.Read(buffer) > 0) { }
        }
        await writer.WaitAsync(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void Paths_that_are_not_key_files_are_named_in_words()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var dangling = scratch.PathOf("dangling");
        File.CreateSymbolicLink(dangling, scratch.PathOf("nothing-here"));
        AssertOneLineError(tool.Run(Aws.Arguments("k1", dangling)), "is a symbolic link to a file that does not exist");
        AssertOneLineError(tool.Run(Aws.Arguments("k1", WrapKey + "/")), "is not a directory, but the path ends with '/'");
        AssertOneLineError(tool.Run(Aws.Arguments("k1", scratch.Root)), "is a directory, not a key file");
        AssertOneLineError(tool.Run(Aws.Arguments("k1", scratch.PathOf("missing") + "/key.pem")), "does not exist");
        if (!OperatingSystem.IsWindows() && Environment.UserName != "root")
        {
            var unreadable = scratch.Write("unreadable.pem", File.ReadAllBytes(WrapKey));
            File.SetUnixFileMode(unreadable, UnixFileMode.None);
            AssertOneLineError(tool.Run(Aws.Arguments("k1", unreadable)), "cannot be read: permission denied");
        }
    }

    [Fact]
    public void Input_with_newlines_and_control_characters_is_quoted_on_one_line()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var unterminated = scratch.Write("unterminated.pem", "-----BEGIN PUBLIC KEY\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\nMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n");
        AssertOneLineError(tool.Run(Aws.Arguments("k1", unterminated)), "has a malformed PEM header '-----BEGIN PUBLIC KEY'");
        AssertOneLineError(tool.Run("rlz\n1", "k", WrapKey, "RSAES_OAEP_SHA_256"), "unknown provider 'rlz\\n1'", exitCode: 2);
        AssertOneLineError(tool.Run(Aws.Arguments("k\n\u001b[2J", WrapKey)), "invalid keyName 'k\\n\\x1b[2J': '\\n' is not allowed", exitCode: 2);
        AssertOneLineError(tool.Run(Aws.Arguments("k1", scratch.PathOf("no\nsuch\rfile"))), "no\\nsuch\\rfile'", exitCode: 2);
        var longName = new string('x', 5000);
        var result = tool.Run(Aws.Arguments("k1", scratch.PathOf(longName)));
        Assert.True(result.Stderr.Length < 1000, "a long path is cut: " + result.Stderr.Length);
    }

    /// <summary>PKCS#1 RSAPublicKey DER with the given values, as a hostile file would carry them.</summary>
    static byte[] RsaPublicKey(BigInteger modulus, BigInteger exponent)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(modulus);
            writer.WriteInteger(exponent);
        }
        return writer.Encode();
    }

    public static TheoryData<string, string> MalformedRsaKeys() => new()
    {
        { "even modulus", "the RSA key is invalid: its modulus is even" },
        { "oversized exponent", "the RSA key is invalid: its public exponent is larger than 64 bits" },
        { "exponent 1", "the RSA key is invalid: its public exponent is less than 3" },
        { "even exponent", "the RSA key is invalid: its public exponent is even" },
        { "negative modulus", "the RSA key is invalid: its modulus is not a positive number" },
        { "huge modulus", "the RSA key is invalid: its modulus is 16392 bits" },
    };

    [Theory]
    [MemberData(nameof(MalformedRsaKeys))]
    public void Malformed_rsa_keys_are_refused_with_the_reason(string what, string expected)
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var odd = (BigInteger.One << 2047) + 12345;   // odd, 2048 bits: no real key, but well-formed
        var der = what switch
        {
            "even modulus" => RsaPublicKey(odd + 1, 65537),
            "oversized exponent" => RsaPublicKey(odd, (BigInteger.One << 1000) + 1),
            "exponent 1" => RsaPublicKey(odd, 1),
            "even exponent" => RsaPublicKey(odd, 65536),
            "negative modulus" => RsaPublicKey(-odd, 65537),
            "huge modulus" => RsaPublicKey((BigInteger.One << 16391) + 1, 65537),
            _ => throw new ArgumentException(what),
        };
        AssertOneLineError(tool.Run(Aws.Arguments("k1", scratch.Write("bad.der", der))), expected);
        Assert.False(Directory.Exists(Path.Combine(tool.WorldDirectory, "keys")) &&
                     Directory.EnumerateFiles(Path.Combine(tool.WorldDirectory, "keys")).Any(), "no key may be generated");
    }

    [Fact]
    public void One_damaged_key_is_marked_and_the_others_are_still_listed()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        foreach (var name in new[] { "k1", "k2", "k3" }) tool.Run(Aws.Arguments(name, WrapKey)).Ok();
        var damaged = Path.Combine(tool.WorldDirectory, "keys", "k2.key");
        var bytes = File.ReadAllBytes(damaged);
        bytes[bytes.Length / 3] ^= 0x01;
        File.WriteAllBytes(damaged, bytes);

        var listed = tool.Keys("list");
        AssertOneLineError(listed, "key 'k2' failed its integrity check");
        Assert.Contains("(the other keys are listed)", listed.Stderr);
        var rows = listed.Stdout.Split('\n');
        Assert.Contains(rows, r => r.StartsWith("k1 ", StringComparison.Ordinal) && r.Contains("AES-256"));
        Assert.Contains(rows, r => r.StartsWith("k2 ", StringComparison.Ordinal) && r.Contains("UNUSABLE"));
        Assert.Contains(rows, r => r.StartsWith("k3 ", StringComparison.Ordinal) && r.Contains("AES-256"));

        var json = tool.Keys("list", "--json");
        Assert.Equal(1, json.ExitCode);
        var document = json.Json();
        Assert.Equal(["k1", "k3"], document.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("name").GetString()));
        var unusable = Assert.Single(document.GetProperty("unusable").EnumerateArray());
        Assert.Equal("k2", unusable.GetProperty("name").GetString());

        // The good keys still export.
        tool.Run(Aws.Arguments("k3", WrapKey)).Ok();
    }
    [Fact]
    public void A_key_file_that_is_a_directory_a_fifo_or_too_large_is_marked_and_the_others_are_still_listed()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        foreach (var name in new[] { "k1", "k2", "k3", "k4" }) tool.Run(Aws.Arguments(name, WrapKey)).Ok();
        var keys = Path.Combine(tool.WorldDirectory, "keys");
        File.Delete(Path.Combine(keys, "k1.key"));
        Directory.CreateDirectory(Path.Combine(keys, "k1.key"));
        File.WriteAllBytes(Path.Combine(keys, "k3.key"), new byte[(64 << 10) + 1]);
        File.Delete(Path.Combine(keys, "k4.key"));
        Assert.Equal(0, Processes.Run("mkfifo", [Path.Combine(keys, "k4.key")]).ExitCode);   // no writer: must not wait for one

        var listed = tool.Keys("list");
        Assert.Equal(1, listed.ExitCode);
        Assert.Single(listed.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains("key 'k1' cannot be read", listed.Stderr);
        Assert.Contains("key 'k3' cannot be read", listed.Stderr);
        var rows = listed.Stdout.Split('\n');
        Assert.Contains(rows, r => r.StartsWith("k1 ", StringComparison.Ordinal) && r.Contains("UNUSABLE"));
        Assert.Contains(rows, r => r.StartsWith("k2 ", StringComparison.Ordinal) && r.Contains("AES-256"));
        Assert.Contains(rows, r => r.StartsWith("k3 ", StringComparison.Ordinal) && r.Contains("UNUSABLE"));
        Assert.Contains(rows, r => r.StartsWith("k4 ", StringComparison.Ordinal) && r.Contains("UNUSABLE"));
    }
}
