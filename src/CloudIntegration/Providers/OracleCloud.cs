using System.Text.Json;
using CloudIntegration.Keys;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Providers;

/// <summary>
/// Oracle Cloud Infrastructure Vault key import: the WrappedImportKey document the OCI CLI reads with
/// <c>--wrapped-import-key file://...</c>, <c>{"keyMaterial": base64, "wrappingAlgorithm": ...}</c>. RSA_OAEP_AES_SHA256
/// is the RSA-AES layout with SHA-256; RSA_OAEP_SHA256 encrypts an AES key directly. OCI imports AES and RSA keys only.
/// </summary>
public sealed class OracleCloud : Provider
{
    public override string Name => "oracle-cloud";
    public override string Summary => "Oracle Cloud Infrastructure Vault key import (AES, RSA)";

    public override IReadOnlyList<KeyType> KeyTypes { get; } =
        [KeyType.Aes256, KeyType.Aes128, KeyType.Aes192, KeyType.Rsa2048, KeyType.Rsa3072, KeyType.Rsa4096];

    public override IReadOnlyList<WrapAlgorithm> WrapAlgorithms { get; } =
        [WrapAlgorithm.OciRsaOaepAesSha256, WrapAlgorithm.OciRsaOaepSha256];

    static readonly ProviderFile Document = new("{keyName}-oci-import.json", FileEncoding.Document(WrappedImportKey),
                                                Flag: "--wrapped-import-key", FlagPrefix: "file://");

    public override IReadOnlyList<ProviderFile> Files { get; } = [Document];

    protected override string? Rule(KeyType type, WrapAlgorithm algorithm, string? azureKek) =>
        type.Family == KeyFamily.Rsa && algorithm.Construction == WrapConstruction.DirectRsa
            ? "RSA_OAEP_SHA256 wraps AES keys only; an RSA key needs RSA_OAEP_AES_SHA256"
            : null;

    protected override string DirectWrapAlternative => "RSA_OAEP_AES_SHA256";

    static byte[] WrappedImportKey(ExportContext context, WrappedKey wrapped) => ProviderJson.Object(json =>
    {
        json.WriteString("keyMaterial", Convert.ToBase64String(wrapped.Ciphertext));
        json.WriteString("wrappingAlgorithm", context.Algorithm.Name);
    });

    /// <summary>The --key-shape OCI wants: the algorithm and the key length in bytes.</summary>
    static string KeyShape(KeyType type) => type.Family switch
    {
        KeyFamily.Aes => $$"""{"algorithm":"AES","length":{{type.Bits / 8}}}""",
        KeyFamily.Rsa => $$"""{"algorithm":"RSA","length":{{type.Bits / 8}}}""",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type.Name, "OCI imports no such key type"),
    };

    protected override ImportSteps Instructions(ImportStepContext c) => new(
        [$"oci kms management key import --compartment-id <COMPARTMENT_OCID> --display-name {Shell.Quote(c.KeyName.Value)} " +
         $"--endpoint <VAULT_MANAGEMENT_ENDPOINT> --key-shape {Shell.Quote(KeyShape(c.KeyType))} {c.Flag(Document)} " +
         "--protection-mode HSM"],
        [],
        ["the wrapping key must be the vault's own (oci kms management wrapping-key get --endpoint <VAULT_MANAGEMENT_ENDPOINT>)",
         "for a new version of an existing key: oci kms management key-version import --key-id <KEY_OCID> with the same file",
         "--protection-mode SOFTWARE imports into a software-protected key instead"]);
}
