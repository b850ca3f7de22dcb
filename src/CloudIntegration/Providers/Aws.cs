using CloudIntegration.Keys;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Providers;

/// <summary>
/// AWS KMS ImportKeyMaterial: the raw binary wrapped key material. A symmetric or HMAC key is raw bytes, an RSA or EC
/// private key DER PKCS#8; RSAES_* encrypt it directly with the wrapping key, RSA_AES_KEY_WRAP_* wrap it with an
/// ephemeral AES-256 key (RFC 5649) and put the RSA-OAEP of that key in front.
/// </summary>
public sealed class Aws : Provider
{
    public override string Name => "aws";
    public override string Summary => "AWS KMS key with imported key material (symmetric, HMAC, RSA, EC; origin EXTERNAL)";

    public override IReadOnlyList<KeyType> KeyTypes { get; } =
    [
        KeyType.Aes256, KeyType.HmacSha224, KeyType.HmacSha256, KeyType.HmacSha384, KeyType.HmacSha512,
        KeyType.Rsa2048, KeyType.Rsa3072, KeyType.Rsa4096,
        KeyType.EcNistP256, KeyType.EcNistP384, KeyType.EcNistP521, KeyType.EcSecp256k1,
    ];

    public override IReadOnlyList<WrapAlgorithm> WrapAlgorithms { get; } =
        [.. DirectAlgorithms, WrapAlgorithm.RsaAesKeyWrapSha256, WrapAlgorithm.RsaAesKeyWrapSha1];

    static readonly ProviderFile Wrapped = new("{keyName}-wrapped", FileEncoding.Binary, UploadField: "Wrapped key material",
                                               Flag: "--encrypted-key-material", FlagPrefix: "fileb://");

    public override IReadOnlyList<ProviderFile> Files { get; } = [Wrapped];

    /// <summary>The KMS key spec (create-key --key-spec) and the usages it may have; the first is printed.</summary>
    static (string Spec, string[] Usages) KeySpec(KeyType type) => type.Family switch
    {
        KeyFamily.Aes => ("SYMMETRIC_DEFAULT", ["ENCRYPT_DECRYPT"]),
        KeyFamily.Hmac => ($"HMAC_{type.Bits}", ["GENERATE_VERIFY_MAC"]),
        KeyFamily.Rsa => ($"RSA_{type.Bits}", ["SIGN_VERIFY", "ENCRYPT_DECRYPT"]),
        KeyFamily.Ec when type == KeyType.EcSecp256k1 => ("ECC_SECG_P256K1", ["SIGN_VERIFY"]),
        KeyFamily.Ec => ($"ECC_NIST_P{type.Bits}", ["SIGN_VERIFY", "KEY_AGREEMENT"]),
        KeyFamily.Ed25519 => throw new ArgumentException("AWS KMS does not import Ed25519 keys", nameof(type)),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type.Family, "unknown key family"),
    };

    protected override string? Rule(KeyType type, WrapAlgorithm algorithm, string? azureKek)
    {
        if (type.Family == KeyFamily.Rsa && algorithm.Construction == WrapConstruction.DirectRsa)
        {
            return "an RSA private key needs an RSA_AES wrapping algorithm (RSA_AES_KEY_WRAP_SHA_256 or RSA_AES_KEY_WRAP_SHA_1)";
        }
        if (algorithm.Padding == RsaPadding.Pkcs1V15 && type != KeyType.Aes256)
        {
            return $"RSAES_PKCS1_V1_5 is accepted only for the guide's AES-256 key, not for {type.Name} (AWS KMS refuses it " +
                   "since October 2023; choose RSAES_OAEP_SHA_256 or RSA_AES_KEY_WRAP_SHA_256)";
        }
        return null;
    }

    protected override string DirectWrapAlternative => "RSA_AES_KEY_WRAP_SHA_256 (AWS's rule: ECC_NIST_P521 cannot be wrapped directly under RSA_2048)";

    protected override ImportSteps Instructions(ImportStepContext c)
    {
        var (spec, usages) = KeySpec(c.KeyType);
        var token = c.BesideWrapKey("ImportToken.bin", "fileb://") ?? "fileb://<ImportToken.bin>";
        var symmetric = c.KeyType.Family == KeyFamily.Aes;
        var notes = new List<string>
        {
            "the first two commands come before this export: the KMS key to import into, and the download of the wrapping key " +
            "and import token this export used (the same algorithm and size)",
            "<KEY_ID> is the KMS key (origin EXTERNAL) whose wrapping key you used; the import token must come from the same " +
            "download (both expire 24 hours after it)",
        };
        if (usages.Length > 1) notes.Add($"--key-usage may also be {string.Join(" or ", usages[1..])}, as the key is to be used");
        notes.Add(symmetric
            ? "for key material that expires instead: --expiration-model KEY_MATERIAL_EXPIRES --valid-to <YYYY-MM-DDTHH:MM:SSZ> " +
              "(at most 365 days ahead)"
            : $"the material of a key of spec {spec} can never be replaced after this import (only the same material re-imported), so it is " +
              "imported without expiry here; keep the key in this key store for re-imports");
        notes.Add("in the console: Customer managed keys > the key > Key material > Upload key material");
        return new(
            [$"aws kms create-key --origin EXTERNAL --key-spec {spec} --key-usage {usages[0]}",
             $"aws kms get-parameters-for-import --key-id <KEY_ID> --wrapping-algorithm {c.Algorithm.Name} " +
             $"--wrapping-key-spec RSA_{c.WrappingKeyBits}",
             $"aws kms import-key-material --key-id <KEY_ID> {c.Flag(Wrapped)} --import-token {token} " +
             "--expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE"],
            [new("Import token", "ImportToken.bin")],
            notes);
    }

    public override IEnumerable<string> Warnings(WrapAlgorithm algorithm)
    {
        if (algorithm.Padding == RsaPadding.Pkcs1V15)
        {
            yield return "AWS KMS has refused RSAES_PKCS1_V1_5 since 10 October 2023; the import will fail " +
                         "(choose RSAES_OAEP_SHA_256 when downloading the wrapping key)";
        }
    }
}
