using CloudIntegration.IO;
using CloudIntegration.Keys;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Providers;

/// <summary>
/// Google Cloud KMS key import (import methods RSA_OAEP_3072/4096_SHA1_AES_256 and ..._SHA256_AES_256): binary
/// RSA-OAEP(ephemeral AES-256 key) followed by the RFC 5649 wrap of the target key.
/// </summary>
public sealed class GoogleCloudKms(bool singleAlgorithm) : Provider
{
    public override string Name => "google-cloud-key-management";
    public override string Summary => "Google Cloud KMS / Cloud HSM import job (RSA-OAEP + AES-KWP)";

    public override IReadOnlyList<KeyType> KeyTypes { get; } =
        [KeyType.Rsa2048, KeyType.Rsa3072, KeyType.Rsa4096, KeyType.EcNistP256, KeyType.EcNistP384, KeyType.Aes256];

    /// <summary>cssadmin v2.2.1 took no wrapAlg here and always used SHA-1.</summary>
    public override IReadOnlyList<WrapAlgorithm> WrapAlgorithms { get; } =
        singleAlgorithm ? [] : [WrapAlgorithm.RsaesOaepSha256, WrapAlgorithm.RsaesOaepSha1];

    public override WrapAlgorithm? ImplicitAlgorithm => singleAlgorithm ? WrapAlgorithm.RsaesOaepSha1 : null;

    public override WrapConstruction Construction => WrapConstruction.RsaAesKeyWrap;

    public override IReadOnlyList<string> OutputNames(KeyName keyName) => [$"{keyName}-wrapped.bin"];

    public override IReadOnlyList<OutputFile> Format(ExportContext context, WrappedKey wrapped) =>
        [new($"{context.KeyName}-wrapped.bin", wrapped.Ciphertext)];

    /// <summary>The import method an import job must have been created with for this wrapping key and algorithm.</summary>
    public static string ImportMethod(int wrappingKeyBits, WrapAlgorithm algorithm) =>
        $"rsa-oaep-{wrappingKeyBits}-{(algorithm == WrapAlgorithm.RsaesOaepSha256 ? "sha256" : "sha1")}-aes-256";
}
