using CloudIntegration.Keys;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Providers;

/// <summary>
/// HashiCorp Vault transit BYOK (<c>transit/keys/NAME/import</c>): a JSON body with the base64 <c>ciphertext</c>
/// (RSA-OAEP of an ephemeral AES-256 key under Vault's RSA-4096 wrapping key, then RFC 5649 of the target), the
/// <c>hash_function</c> OAEP and MGF1 used, and the Vault key <c>type</c>.
/// </summary>
public sealed class HashiCorpVault : Provider
{
    public override string Name => "hashicorp-vault";
    public override string Summary => "HashiCorp Vault transit key import (vault write transit/keys/NAME/import)";

    public override IReadOnlyList<KeyType> KeyTypes { get; } =
    [
        KeyType.Aes256, KeyType.Aes128, KeyType.Rsa2048, KeyType.Rsa3072, KeyType.Rsa4096,
        KeyType.EcNistP256, KeyType.EcNistP384, KeyType.EcNistP521, KeyType.EcEd25519,
        KeyType.HmacSha256, KeyType.HmacSha384, KeyType.HmacSha512,
    ];

    public override IReadOnlyList<WrapAlgorithm> WrapAlgorithms { get; } =
    [
        WrapAlgorithm.RsaAesKeyWrapSha256, WrapAlgorithm.RsaAesKeyWrapSha1, WrapAlgorithm.RsaAesKeyWrapSha224,
        WrapAlgorithm.RsaAesKeyWrapSha384, WrapAlgorithm.RsaAesKeyWrapSha512,
    ];

    /// <summary>Vault takes the first 512 bytes of the ciphertext as the RSA part: its wrapping key is RSA-4096.</summary>
    public override int? RequiredWrappingKeyBits => 4096;

    protected override string WrappingKeySizeReason =>
        "Vault's transit wrapping key is RSA-4096 and Vault reads the first 512 bytes of the ciphertext as the wrapped AES key";

    static readonly ProviderFile Body = new("{keyName}-vault-import.json", FileEncoding.Document(ImportBody));

    public override IReadOnlyList<ProviderFile> Files { get; } = [Body];

    /// <summary>Vault's name for the key type; an HMAC key's length is that of its hash (32, 48 or 64 bytes).</summary>
    static string VaultType(KeyType type) => type.Family switch
    {
        KeyFamily.Aes => $"aes{type.Bits}-gcm96",
        KeyFamily.Rsa => $"rsa-{type.Bits}",
        KeyFamily.Ec => $"ecdsa-p{type.Bits}",
        KeyFamily.Ed25519 => "ed25519",
        KeyFamily.Hmac => "hmac",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type.Family, "unknown key family"),
    };

    /// <summary>Vault's hash_function: SHA1, SHA224, SHA256, SHA384 or SHA512.</summary>
    static string HashFunction(WrapAlgorithm algorithm) =>
        (algorithm.Padding.Oaep ?? throw new ArgumentException($"{algorithm.Name} is not OAEP", nameof(algorithm))).ShortName.ToUpperInvariant();

    static byte[] ImportBody(ExportContext context, WrappedKey wrapped) => ProviderJson.Object(json =>
    {
        json.WriteString("ciphertext", Convert.ToBase64String(wrapped.Ciphertext));
        json.WriteString("hash_function", HashFunction(context.Algorithm));
        json.WriteString("type", VaultType(context.KeyType));
    });

    protected override ImportSteps Instructions(ImportStepContext c)
    {
        var notes = new List<string>
        {
            "the wrapping key is Vault's: vault read -field=public_key transit/wrapping_key > wrapping_key.pem",
            "for a new version of an existing key: vault write transit/keys/<NAME>/import_version with the same file",
        };
        if (c.KeyType.Family == KeyFamily.Hmac)
        {
            notes.Add($"the HMAC key is {c.KeyType.SecretBytes} bytes, the output length of {c.KeyType.Name[5..]}; Vault uses it with any hash_algorithm");
        }
        return new(
            [$"vault write transit/keys/{Shell.Quote(c.KeyName.Value)}/import {c.Argument(Body, "@")}"],
            [],
            notes);
    }
}
