using System.Text.Json;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests.Ceremony;

/// <summary>
/// The provider CLIs' syntax, written down from shared/reference/provider-formats.md (not from the tool's code), and
/// checks that a printed next step follows it and names the files the export wrote.
/// </summary>
public static class NextStepSyntax
{
    /// <summary>gcloud's ALGORITHMS_FOR_IMPORT entries for the key types the tool makes (§3).</summary>
    static readonly Dictionary<string, string[]> GcloudAlgorithms = new()
    {
        ["RSA-2048"] = ["rsa-sign-pss-2048-sha256", "rsa-sign-pkcs1-2048-sha256", "rsa-decrypt-oaep-2048-sha256", "rsa-decrypt-oaep-2048-sha1"],
        ["RSA-3072"] = ["rsa-sign-pss-3072-sha256", "rsa-sign-pkcs1-3072-sha256", "rsa-decrypt-oaep-3072-sha256", "rsa-decrypt-oaep-3072-sha1"],
        ["RSA-4096"] = ["rsa-sign-pss-4096-sha256", "rsa-sign-pss-4096-sha512", "rsa-sign-pkcs1-4096-sha256", "rsa-decrypt-oaep-4096-sha256"],
        ["EC-NISTP256"] = ["ec-sign-p256-sha256"],
        ["EC-NISTP384"] = ["ec-sign-p384-sha384"],
        ["AES-256"] = ["google-symmetric-encryption", "aes-256-gcm", "aes-256-cbc", "aes-256-ctr"],
    };

    /// <summary>az keyvault key import --curve values (§4).</summary>
    static readonly Dictionary<string, string> AzureCurves = new()
    {
        ["EC-NISTP256"] = "P-256", ["EC-NISTP384"] = "P-384", ["EC-NISTP521"] = "P-521", ["EC-SECP256K1"] = "P-256K",
    };

    public static void Check(ExportCase c, Tool tool, string keyName, JsonElement steps)
    {
        var commands = steps.GetProperty("commands").EnumerateArray().Select(e => e.GetString()!).ToList();
        var uploads = steps.GetProperty("uploads").EnumerateArray().ToDictionary(u => u.GetProperty("field").GetString()!, u => u.GetProperty("file").GetString()!);
        var notes = string.Join("\n", steps.GetProperty("notes").EnumerateArray().Select(e => e.GetString()));
        string Output(string word) => Path.GetFullPath(word, tool.WorkingDirectory);

        switch (c.Provider)
        {
            case "aws":
            {
                var words = CeremonyTool.ShellWords(Assert.Single(commands));
                Assert.Equal(["aws", "kms", "import-key-material"], words[..3]);
                var flags = CeremonyTool.Flags(words, 3);
                Assert.Equal(["--key-id", "--encrypted-key-material", "--import-token", "--expiration-model"], flags.Keys);
                Assert.StartsWith("fileb://", flags["--encrypted-key-material"]);
                Assert.Equal(Path.Combine(tool.WorkingDirectory, $"{keyName}-wrapped"), Output(flags["--encrypted-key-material"]["fileb://".Length..]));
                Assert.StartsWith("fileb://", flags["--import-token"]);
                Assert.Equal("KEY_MATERIAL_DOES_NOT_EXPIRE", flags["--expiration-model"]);
                Assert.Contains("--expiration-model KEY_MATERIAL_EXPIRES --valid-to", notes);
                Assert.Equal($"{keyName}-wrapped", uploads["Wrapped key material"]);
                break;
            }
            case "google-cloud-key-management":
            {
                var words = CeremonyTool.ShellWords(Assert.Single(commands));
                Assert.Equal(["gcloud", "kms", "keys", "versions", "import"], words[..5]);
                var flags = CeremonyTool.Flags(words, 5);
                Assert.Equal(["--import-job", "--location", "--keyring", "--key", "--algorithm", "--wrapped-key-file"], flags.Keys);
                Assert.Contains(flags["--algorithm"], GcloudAlgorithms[c.KeyType]);
                Assert.Equal(Path.Combine(tool.WorkingDirectory, $"{keyName}-wrapped.bin"), Output(flags["--wrapped-key-file"]));
                Assert.Contains($"import method rsa-oaep-{c.WrappingBits}-{(c.Padding == "sha256" ? "sha256" : "sha1")}-aes-256", notes);
                break;
            }
            case "microsoft-azure":
            {
                var words = CeremonyTool.ShellWords(Assert.Single(commands));
                Assert.Equal(["az", "keyvault", "key", "import"], words[..4]);
                var flags = CeremonyTool.Flags(words, 4);
                Assert.Equal("contoso-byok", flags["--vault-name"]);        // the vault of the KEK's kid
                Assert.Equal(keyName, flags["--name"]);
                Assert.Equal(Path.Combine(tool.WorkingDirectory, $"KeyTransferPackage-{keyName}.byok"), Output(flags["--byok-file"]));
                if (AzureCurves.TryGetValue(c.KeyType, out var curve))
                {
                    Assert.Equal("EC", flags["--kty"]);
                    Assert.Equal(curve, flags["--curve"]);
                }
                else
                {
                    Assert.False(flags.ContainsKey("--curve"), "--curve is only for --kty EC");
                    Assert.True(!flags.TryGetValue("--kty", out var kty) || kty == "RSA", "an RSA key imports as --kty RSA, the default");
                }
                Assert.Equal(flags.Count, flags.ContainsKey("--kty") ? 5 : 3);
                break;
            }
            case "google-compute-engine":
            {
                var words = CeremonyTool.ShellWords(Assert.Single(commands));
                Assert.Equal(["gcloud", "beta", "compute", "disks", "create"], words[..5]);
                Assert.False(words[5].StartsWith('-'), "the disk name comes first");
                var flags = CeremonyTool.Flags(words, 6);
                Assert.Equal(["--zone", "--csek-key-file"], flags.Keys);
                var keyFile = Output(flags["--csek-key-file"]);
                Assert.Equal(Path.Combine(tool.WorkingDirectory, $"{keyName}-csek.json"), keyFile);
                using var document = JsonDocument.Parse(File.ReadAllText(keyFile));
                var entry = Assert.Single(document.RootElement.EnumerateArray());
                Assert.Equal(["uri", "key", "key-type"], entry.EnumerateObject().Select(p => p.Name));
                Assert.StartsWith("https://www.googleapis.com/compute/v1/projects/", entry.GetProperty("uri").GetString());
                Assert.Equal("rsa-encrypted", entry.GetProperty("key-type").GetString());
                Assert.Equal(File.ReadAllText(Path.Combine(tool.WorkingDirectory, $"{keyName}-wrapped")), entry.GetProperty("key").GetString());
                Assert.Contains("alpha and beta", notes);
                break;
            }
            case "salesforce":
                Assert.Empty(commands);
                Assert.Equal($"{keyName}-wrapped", uploads["Encrypted Tenant Secret"]);
                Assert.Equal($"{keyName}-hash", uploads["Hashed Tenant Secret"]);
                break;
            default:
                throw new ArgumentException(c.Provider);
        }
        foreach (var file in uploads.Values.Where(f => f != "ImportToken.bin"))
        {
            Assert.True(File.Exists(Path.Combine(tool.WorkingDirectory, file)), $"upload names {file}, which was not written");
        }
    }
}
