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
        ["AES-128"] = ["aes-128-gcm", "aes-128-cbc", "aes-128-ctr"],
        ["EC-SECP256K1"] = ["ec-sign-secp256k1-sha256"],
        ["EC-ED25519"] = ["ec-sign-ed25519"],
        ["HMAC-SHA1"] = ["hmac-sha1"], ["HMAC-SHA224"] = ["hmac-sha224"], ["HMAC-SHA256"] = ["hmac-sha256"],
        ["HMAC-SHA384"] = ["hmac-sha384"], ["HMAC-SHA512"] = ["hmac-sha512"],
    };

    /// <summary>aws kms create-key --key-spec for each key type (§1).</summary>
    static readonly Dictionary<string, string> AwsKeySpecs = new()
    {
        ["AES-256"] = "SYMMETRIC_DEFAULT", ["HMAC-SHA224"] = "HMAC_224", ["HMAC-SHA256"] = "HMAC_256", ["HMAC-SHA384"] = "HMAC_384",
        ["HMAC-SHA512"] = "HMAC_512", ["RSA-2048"] = "RSA_2048", ["RSA-3072"] = "RSA_3072", ["RSA-4096"] = "RSA_4096",
        ["EC-NISTP256"] = "ECC_NIST_P256", ["EC-NISTP384"] = "ECC_NIST_P384", ["EC-NISTP521"] = "ECC_NIST_P521", ["EC-SECP256K1"] = "ECC_SECG_P256K1",
    };

    /// <summary>OCI --key-shape: algorithm and length in bytes (§6).</summary>
    static readonly Dictionary<string, string> OciKeyShapes = new()
    {
        ["AES-128"] = """{"algorithm":"AES","length":16}""", ["AES-192"] = """{"algorithm":"AES","length":24}""",
        ["AES-256"] = """{"algorithm":"AES","length":32}""", ["RSA-2048"] = """{"algorithm":"RSA","length":256}""",
        ["RSA-3072"] = """{"algorithm":"RSA","length":384}""", ["RSA-4096"] = """{"algorithm":"RSA","length":512}""",
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
                Assert.Equal(3, commands.Count);
                var create = CeremonyTool.ShellWords(commands[0]);
                Assert.Equal(["aws", "kms", "create-key"], create[..3]);
                var createFlags = CeremonyTool.Flags(create, 3);
                Assert.Equal(["--origin", "--key-spec", "--key-usage"], createFlags.Keys);
                Assert.Equal("EXTERNAL", createFlags["--origin"]);
                Assert.Equal(AwsKeySpecs[c.KeyType], createFlags["--key-spec"]);
                Assert.Contains(createFlags["--key-usage"], c.KeyType switch
                {
                    "AES-256" => ["ENCRYPT_DECRYPT"],
                    _ when c.KeyType.StartsWith("HMAC-") => ["GENERATE_VERIFY_MAC"],
                    _ when c.KeyType.StartsWith("RSA-") => ["SIGN_VERIFY", "ENCRYPT_DECRYPT"],
                    _ => new[] { "SIGN_VERIFY", "KEY_AGREEMENT" },
                });
                var parameters = CeremonyTool.ShellWords(commands[1]);
                Assert.Equal(["aws", "kms", "get-parameters-for-import"], parameters[..3]);
                var parameterFlags = CeremonyTool.Flags(parameters, 3);
                Assert.Equal(["--key-id", "--wrapping-algorithm", "--wrapping-key-spec"], parameterFlags.Keys);
                Assert.Equal(c.Algorithm, parameterFlags["--wrapping-algorithm"]);
                Assert.Equal($"RSA_{c.WrappingBits}", parameterFlags["--wrapping-key-spec"]);
                var words = CeremonyTool.ShellWords(commands[2]);
                Assert.Equal(["aws", "kms", "import-key-material"], words[..3]);
                var flags = CeremonyTool.Flags(words, 3);
                Assert.Equal(["--key-id", "--encrypted-key-material", "--import-token", "--expiration-model"], flags.Keys);
                Assert.StartsWith("fileb://", flags["--encrypted-key-material"]);
                Assert.Equal(Path.Combine(tool.WorkingDirectory, $"{keyName}-wrapped"), Output(flags["--encrypted-key-material"]["fileb://".Length..]));
                Assert.StartsWith("fileb://", flags["--import-token"]);
                Assert.Equal("KEY_MATERIAL_DOES_NOT_EXPIRE", flags["--expiration-model"]);
                if (c.KeyType == "AES-256") Assert.Contains("--expiration-model KEY_MATERIAL_EXPIRES --valid-to", notes);
                else Assert.Contains("can never be replaced", notes);   // AWS: asymmetric and HMAC material is imported once
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
                Assert.Contains($"import method rsa-oaep-{c.WrappingBits}-{(c.Padding == "sha256" ? "sha256" : "sha1")}{(c.IsRsaAes ? "-aes-256" : "")} ", notes);
                break;
            }
            case "microsoft-azure":
            {
                var words = CeremonyTool.ShellWords(Assert.Single(commands));
                Assert.Equal(["az", "keyvault", "key", "import"], words[..4]);
                var flags = CeremonyTool.Flags(words, 4);
                if (c.KeyType.StartsWith("AES-"))
                {
                    Assert.Equal("contoso-hsm", flags["--hsm-name"]);       // AES keys go to the Managed HSM of the KEK
                    Assert.Equal("oct", flags["--kty"]);
                    Assert.Equal(keyName, flags["--name"]);
                    Assert.Equal(Path.Combine(tool.WorkingDirectory, $"KeyTransferPackage-{keyName}.byok"), Output(flags["--byok-file"]));
                    Assert.Equal(4, flags.Count);
                    break;
                }
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
            case "oracle-cloud":
            {
                var words = CeremonyTool.ShellWords(Assert.Single(commands));
                Assert.Equal(["oci", "kms", "management", "key", "import"], words[..5]);
                var flags = CeremonyTool.Flags(words, 5);
                Assert.Equal(["--compartment-id", "--display-name", "--endpoint", "--key-shape", "--wrapped-import-key", "--protection-mode"], flags.Keys);
                Assert.Equal(keyName, flags["--display-name"]);
                Assert.Equal(OciKeyShapes[c.KeyType], flags["--key-shape"]);
                Assert.StartsWith("file://", flags["--wrapped-import-key"]);
                Assert.Equal(Path.Combine(tool.WorkingDirectory, $"{keyName}-oci-import.json"), Output(flags["--wrapped-import-key"]["file://".Length..]));
                Assert.Equal("HSM", flags["--protection-mode"]);
                break;
            }
            case "hashicorp-vault":
            {
                var words = CeremonyTool.ShellWords(Assert.Single(commands));
                Assert.Equal(["vault", "write", $"transit/keys/{keyName}/import"], words[..3]);
                var body = Assert.Single(words[3..]);
                Assert.StartsWith("@", body);
                Assert.Equal(Path.Combine(tool.WorkingDirectory, $"{keyName}-vault-import.json"), Output(body[1..]));
                Assert.Contains("vault read -field=public_key transit/wrapping_key", notes);
                break;
            }
            default:
                throw new ArgumentException(c.Provider);
        }
        foreach (var file in uploads.Values.Where(f => f != "ImportToken.bin"))
        {
            Assert.True(File.Exists(Path.Combine(tool.WorkingDirectory, file)), $"upload names {file}, which was not written");
        }
    }
}
