using System.Text.Json;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests.Ceremony;

/// <summary>
/// Every case of the export table with --json: the object carries every field, agrees with the files on disk and the
/// audit trail, and its next-step command has the exact syntax of the provider's CLI (flag names, fileb://,
/// --wrapped-key-file, --byok-file, --kty/--curve pairs, the CSEK key file), per shared/reference/provider-formats.md.
/// The cases share one world and one key per key type (RSA generation is most of the time), each writing to a
/// directory of its own.
/// </summary>
public sealed class NextStepTests(NextStepTests.SharedWorld world) : IClassFixture<NextStepTests.SharedWorld>
{
    public sealed class SharedWorld : IDisposable
    {
        public Scratch Scratch { get; } = new();
        public HashSet<string> Made { get; } = [];
        public void Dispose() => Scratch.Dispose();
    }

    /// <summary>Every case the embedded world exports (SHA-224 included: libcrypto's, see Native/OpenSsl/Sha224.cs).</summary>
    public static TheoryData<ExportCase> Cases() => [.. ExportCases.All.Where(c => new SoftwareWorldModule().ExpectedError(c) is null)];

    static readonly string[] TopLevel =
        ["key", "provider", "wrapAlgorithm", "wrapping", "construction", "wrappingKey", "keyStore", "module", "outputDirectory", "files", "warnings", "nextSteps", "audit"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Json_output_carries_every_field_and_a_next_step_in_the_providers_syntax(ExportCase c)
    {
        var name = "k-" + c.KeyType.ToLowerInvariant();
        var tool = new Tool { WorldDirectory = Path.Combine(world.Scratch.Root, "world"), WorkingDirectory = world.Scratch.Dir(Guid.NewGuid().ToString("N")) };
        var pair = ProviderKeyPair.Get(c.WrappingBits);
        var result = tool.Run([.. c.Arguments(name, pair.WrapKeyFile(c.Form)), "--json"]).Ok();
        var json = result.Json();

        Assert.Equal(TopLevel, json.EnumerateObject().Select(p => p.Name));
        var key = json.GetProperty("key");
        Assert.Equal(["name", "type", "protection", "id", "created", "fingerprint", "checkValue", "publicKeyPem", "generated", "strengthBits"],
                     key.EnumerateObject().Select(p => p.Name));
        Assert.Equal(name, key.GetProperty("name").GetString());
        Assert.Equal(c.KeyType, key.GetProperty("type").GetString());
        Assert.Equal(world.Made.Add(name), key.GetProperty("generated").GetBoolean());
        // The key's identity, computed by openssl from the key the provider would import (unwrapped from the export).
        var plaintext = ProviderOracle.Import(c, tool.WorkingDirectory, name, pair);
        if (c.KeyType.StartsWith("AES-") || c.KeyType.StartsWith("HMAC-"))
        {
            var kcv = c.KeyType.StartsWith("AES-") ? OpenSsl.AesCheckValue(plaintext) : OpenSsl.HmacCheckValue(c.KeyType, plaintext);
            Assert.Equal(Convert.ToHexStringLower(kcv), key.GetProperty("checkValue").GetString());
            Assert.Equal(JsonValueKind.Null, key.GetProperty("fingerprint").ValueKind);
        }
        else
        {
            var spki = OpenSsl.PublicKeyOf(plaintext);
            Assert.Equal(CeremonyTool.Sha256Hex(spki), key.GetProperty("fingerprint").GetString());
            Assert.Equal(spki, Convert.FromBase64String(string.Concat(key.GetProperty("publicKeyPem").GetString()!.Split('\n').Where(l => !l.StartsWith("-----")))));
            Assert.Equal(JsonValueKind.Null, key.GetProperty("checkValue").ValueKind);
        }

        Assert.Equal(c.Provider, json.GetProperty("provider").GetString());
        Assert.Equal(c.Algorithm ?? "RSAES_OAEP_SHA_1", json.GetProperty("wrapAlgorithm").GetString());
        var wrappingKey = json.GetProperty("wrappingKey");
        Assert.Equal(c.WrappingBits, wrappingKey.GetProperty("bits").GetInt32());
        Assert.Equal(CeremonyTool.Sha256Hex(File.ReadAllBytes(pair.PublicDer)), wrappingKey.GetProperty("fingerprint").GetString());
        Assert.Equal(tool.WorkingDirectory, json.GetProperty("outputDirectory").GetString());

        // The files: exactly those on disk, with their true size and hash; the audit entry records the same.
        var files = json.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(Directory.GetFiles(tool.WorkingDirectory).Select(Path.GetFileName).Order(), files.Select(f => f.GetProperty("name").GetString()).Order());
        var entry = tool.AuditEntries()[^1];
        Assert.Equal(json.GetProperty("audit").GetProperty("entry").GetInt64(), entry.GetProperty("seq").GetInt64());
        foreach (var file in files)
        {
            var content = File.ReadAllBytes(file.GetProperty("path").GetString()!);
            Assert.Equal(content.Length, file.GetProperty("bytes").GetInt64());
            Assert.Equal(CeremonyTool.Sha256Hex(content), file.GetProperty("sha256").GetString());
            Assert.Contains(entry.GetProperty("files").EnumerateArray(), f => f.GetProperty("sha256").GetString() == CeremonyTool.Sha256Hex(content));
        }
        Assert.All(json.GetProperty("warnings").EnumerateArray(), w => Assert.Contains("warning: " + w.GetString(), result.Stderr));
        Assert.Equal(result.Stderr.Split('\n').Count(l => l.StartsWith("warning: ")), json.GetProperty("warnings").GetArrayLength());

        var steps = json.GetProperty("nextSteps");
        Assert.Equal(["commands", "uploads", "notes"], steps.EnumerateObject().Select(p => p.Name));
        NextStepSyntax.Check(c, tool, name, steps);
    }

    [Fact]
    public void Text_output_prints_the_same_next_step_and_the_summary()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var c = ExportCases.All.First(x => x.Provider == "google-compute-engine" && x.Algorithm == "RSAES_OAEP_SHA_256");
        var pair = ProviderKeyPair.Get(c.WrappingBits);
        var text = tool.Run(c.Arguments("k1", pair.WrapKeyFile(c.Form))).Ok();
        var kcv = Convert.ToHexStringLower(OpenSsl.AesCheckValue(ProviderOracle.Import(c, tool.WorkingDirectory, "k1", pair)));
        var fingerprint = CeremonyTool.Sha256Hex(File.ReadAllBytes(pair.PublicDer));

        Assert.StartsWith("generated key 'k1' (AES-256, module protection) for google-compute-engine", text.Stdout);
        Assert.Contains($"key check value: {kcv}", text.Stdout);
        Assert.Contains($"wrapping key: RSA-2048 (PEM certificate), SHA-256 fingerprint {fingerprint}", text.Stdout);
        Assert.Contains($"wrote k1-wrapped (344 bytes, SHA-256 {CeremonyTool.Sha256Hex(File.ReadAllBytes(Path.Combine(tool.WorkingDirectory, "k1-wrapped")))})", text.Stdout);
        Assert.Contains("wrote k1-csek.json (", text.Stdout);
        // Both provider warnings went to stderr and are repeated in the summary.
        Assert.Contains("  - Google Compute Engine accepts only RSAES_OAEP_SHA_1", text.Stdout);
        Assert.Contains("  - Google has deprecated customer-supplied encryption keys", text.Stdout);
        Assert.Contains("  gcloud beta compute disks create <DISK> --zone <ZONE> --csek-key-file k1-csek.json\n", text.Stdout);
        Assert.Contains("  upload: Wrapped key (paste the contents) <- k1-wrapped", text.Stdout);
    }

    [Theory]
    [InlineData("https://hsm-1.managedhsm.azure.net/keys/kek/0123456789abcdef", "my-key", "--hsm-name hsm-1 --name my-key ")]
    [InlineData(ExportCase.AzureKek, "my_key.1", "--vault-name contoso-byok --name <AZURE_KEY_NAME> ")]
    public void Azure_next_step_follows_the_kek_container_and_azure_key_names(string kek, string keyName, string expected)
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var json = tool.Run("microsoft-azure", keyName, ProviderKeyPair.Get(3072).PublicPem, "-a", kek, "-k", "EC-NISTP521", "--json").Ok().Json();
        var command = json.GetProperty("nextSteps").GetProperty("commands")[0].GetString()!;
        Assert.Contains(expected, command);
        Assert.EndsWith($"--byok-file KeyTransferPackage-{keyName}.byok --kty EC --curve P-521", command);
    }

    [Fact]
    public void Aws_next_step_uses_the_import_token_beside_the_wrapping_key_and_output_dir_paths()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var download = scratch.Dir("ImportParameters");
        File.Copy(ProviderKeyPair.Get(2048).PublicDer, Path.Combine(download, "WrappingPublicKey.bin"));
        File.WriteAllBytes(Path.Combine(download, "ImportToken.bin"), [1, 2, 3]);
        Directory.CreateDirectory(Path.Combine(tool.WorkingDirectory, "for aws"));
        var json = tool.Run("aws", "k1", Path.Combine(download, "WrappingPublicKey.bin"), "RSAES_OAEP_SHA_256", "--output-dir", "for aws", "--json").Ok().Json();
        var command = json.GetProperty("nextSteps").GetProperty("commands")[2].GetString()!;   // after create-key and get-parameters-for-import
        Assert.Contains("--encrypted-key-material 'fileb://for aws/k1-wrapped' ", command);
        Assert.Contains($"--import-token fileb://{download}/ImportToken.bin ", command);
        Assert.True(File.Exists(Path.Combine(tool.WorkingDirectory, "for aws", "k1-wrapped")));
        Assert.Empty(Directory.GetFiles(tool.WorkingDirectory));
    }
}
