using System.Text.Json;
using CloudIntegration.Tests.Ceremony;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests.ProviderClients;

/// <summary>
/// The providers' own command-line clients read our files: gcloud and the AWS CLI are pointed at a stand-in endpoint on
/// 127.0.0.1 that records the request, and each must accept the file and send exactly its bytes. This proves the file
/// fits the client's checks (size limits, flags, encodings) and that nothing is lost on the way; the cryptography
/// itself is proved by openssl and pyca in the export table.
/// </summary>
public sealed class ProviderClientTests
{
    /// <summary>Exports one key with the tool and returns the path of the file the provider uploads.</summary>
    static string Export(Scratch scratch, string file, params string[] args)
    {
        var tool = Tool.In(scratch);
        tool.Run(args).Ok();
        var path = Path.Combine(tool.WorkingDirectory, file);
        Assert.True(File.Exists(path), $"the export wrote no {file}");
        return path;
    }

    /// <summary>
    /// gcloud reads the import job (its method must match) and sends the wrapped key with the algorithm enum; the new
    /// key types and Google's own method names go through the same client.
    /// </summary>
    [ProviderClientTheory("gcloud")]
    [InlineData("AES-256", "RSAES_OAEP_SHA_256", 3072, "RSA_OAEP_3072_SHA256_AES_256", "google-symmetric-encryption")]
    [InlineData("HMAC-SHA256", "RSA_OAEP_4096_SHA256_AES_256", 4096, "RSA_OAEP_4096_SHA256_AES_256", "hmac-sha256")]
    [InlineData("EC-SECP256K1", "RSA_OAEP_3072_SHA1_AES_256", 3072, "RSA_OAEP_3072_SHA1_AES_256", "ec-sign-secp256k1-sha256")]
    public void Gcloud_imports_the_wrapped_key_file_and_sends_exactly_its_bytes(string keyType, string wrapAlg, int bits, string importMethod, string algorithm)
    {
        using var scratch = new Scratch();
        var pair = ProviderKeyPair.Get(bits);
        var file = Export(scratch, "gk-wrapped.bin",
                               "google-cloud-key-management", "gk", pair.PublicPem, wrapAlg, "-k", keyType);
        var pem = File.ReadAllText(pair.PublicPem);
        using var endpoint = new StandInEndpoint((method, path) => method == "GET" && path.Contains("/importJobs/")
            ? JsonSerializer.Serialize(new
            {
                name = "projects/p1/locations/global/keyRings/ring/importJobs/job",
                state = "ACTIVE",
                importMethod,
                protectionLevel = "HSM",
                publicKey = new { pem },
            })
            : """{"name":"projects/p1/locations/global/keyRings/ring/cryptoKeys/gk/cryptoKeyVersions/1","state":"PENDING_IMPORT"}""");

        var result = Gcloud(scratch, endpoint,
            "kms", "keys", "versions", "import", "--location", "global", "--keyring", "ring", "--key", "gk",
            "--import-job", "job", "--algorithm", algorithm, "--wrapped-key-file", file);
        Assert.True(result.ExitCode == 0, result.ToString());

        var import = Assert.Single(endpoint.Requests, r => r.Method == "POST");
        Assert.EndsWith("/cryptoKeys/gk/cryptoKeyVersions:import?alt=json", import.Path);
        using var body = JsonDocument.Parse(import.Body);
        Assert.Equal(algorithm.Replace('-', '_').ToUpperInvariant(), body.RootElement.GetProperty("algorithm").GetString());
        Assert.Equal(File.ReadAllBytes(file), FromBase64Url(body.RootElement.GetProperty("wrappedKey").GetString()!));
    }

    [ProviderClientTheory("aws")]
    [InlineData("RSAES_OAEP_SHA_256")]
    [InlineData("RSA_AES_KEY_WRAP_SHA_256", "-k", "EC-NISTP256")]
    public void Aws_cli_imports_the_encrypted_key_material_and_sends_exactly_its_bytes(string wrapAlg, params string[] keyType)
    {
        using var scratch = new Scratch();
        var pair = ProviderKeyPair.Get(4096);
        var file = Export(scratch, "ak-wrapped", ["aws", "ak", pair.PublicDer, wrapAlg, .. keyType]);
        var token = scratch.Write("ImportToken.bin", System.Security.Cryptography.RandomNumberGenerator.GetBytes(200));
        using var endpoint = new StandInEndpoint((_, _) => """{"KeyId":"ak","KeyMaterialId":"00"}""");

        var result = Processes.Run("aws",
            ["kms", "import-key-material", "--endpoint-url", endpoint.Url, "--key-id", "ak",
             "--encrypted-key-material", "fileb://" + file, "--import-token", "fileb://" + token,
             "--expiration-model", "KEY_MATERIAL_DOES_NOT_EXPIRE"],
            AwsEnvironment(scratch));
        Assert.True(result.ExitCode == 0, result.ToString());

        var import = Assert.Single(endpoint.Requests);
        using var body = JsonDocument.Parse(import.Body);
        Assert.Equal(File.ReadAllBytes(file), Convert.FromBase64String(body.RootElement.GetProperty("EncryptedKeyMaterial").GetString()!));
        Assert.Equal(File.ReadAllBytes(token), Convert.FromBase64String(body.RootElement.GetProperty("ImportToken").GetString()!));
        Assert.Equal("KEY_MATERIAL_DOES_NOT_EXPIRE", body.RootElement.GetProperty("ExpirationModel").GetString());
    }

    /// <summary>gcloud with a configuration of its own: no credentials, no update checks, the KMS API at the stand-in.</summary>
    internal static ToolResult Gcloud(Scratch scratch, StandInEndpoint endpoint, params string[] args) =>
        Processes.Run("gcloud", [.. args, "--quiet"], new Dictionary<string, string>
        {
            ["CLOUDSDK_CONFIG"] = scratch.Dir("gcloud-config"),
            ["CLOUDSDK_AUTH_DISABLE_CREDENTIALS"] = "true",
            ["CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS"] = endpoint.Url,
            ["CLOUDSDK_CORE_PROJECT"] = "p1",
            ["CLOUDSDK_CORE_DISABLE_PROMPTS"] = "1",
            ["CLOUDSDK_CORE_DISABLE_USAGE_REPORTING"] = "true",
            ["CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK"] = "true",
        });

    /// <summary>The AWS CLI with throwaway credentials and no shared configuration, so nothing reaches AWS.</summary>
    internal static Dictionary<string, string> AwsEnvironment(Scratch scratch) => new()
    {
        ["AWS_ACCESS_KEY_ID"] = "AKIDSTANDIN",
        ["AWS_SECRET_ACCESS_KEY"] = "stand-in-secret",
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_CONFIG_FILE"] = scratch.PathOf("aws-config"),
        ["AWS_SHARED_CREDENTIALS_FILE"] = scratch.PathOf("aws-credentials"),
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}
