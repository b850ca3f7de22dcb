using System.Text;
using CloudIntegration.Keys;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Providers;

/// <summary>
/// Azure Key Vault / Managed HSM BYOK: a <c>.byok</c> key transfer package, strict JSON whose ciphertext is unpadded
/// base64url of RSA-OAEP-SHA1(ephemeral AES-256 key) followed by the RFC 5649 wrap of the target key.
/// </summary>
public sealed class MicrosoftAzure : Provider
{
    public override string Name => "microsoft-azure";
    public override string Summary => "Azure Key Vault Premium / Managed HSM key (BYOK .byok transfer package)";

    public override IReadOnlyList<KeyType> KeyTypes { get; } =
    [
        KeyType.Rsa2048, KeyType.Rsa3072, KeyType.Rsa4096, KeyType.EcNistP256, KeyType.EcNistP384, KeyType.EcNistP521, KeyType.EcSecp256k1,
        KeyType.Aes128, KeyType.Aes192, KeyType.Aes256,
    ];

    /// <summary>Key Vault imports oct-HSM (AES) keys only into a Managed HSM.</summary>
    protected override string? Rule(KeyType type, WrapAlgorithm algorithm, string? azureKek) =>
        type.Family == KeyFamily.Aes && azureKek is not null && IsKeyIdentifier(azureKek, out _, out var managedHsm) && !managedHsm
            ? $"Key Vault imports AES keys ({type.Name}) only into a Managed HSM; give -a with the Key Exchange Key of a Managed HSM " +
              "(https://<hsm-name>.managedhsm.azure.net/keys/<key-name>/<key-version>)"
            : null;

    public override IReadOnlyList<WrapAlgorithm> WrapAlgorithms { get; } = [];
    public override WrapAlgorithm ImplicitAlgorithm => WrapAlgorithm.RsaAesOaepSha1;
    public override bool NeedsAzureKek => true;

    static readonly ProviderFile Package = new("KeyTransferPackage-{keyName}.byok",
                                               FileEncoding.Document(KeyTransferPackage),
                                               Flag: "--byok-file");

    public override IReadOnlyList<ProviderFile> Files { get; } = [Package];

    static byte[] KeyTransferPackage(ExportContext context, WrappedKey wrapped) => ProviderJson.Object(json =>
    {
        json.WriteString("schema_version", "1.0.0");
        json.WriteStartObject("header");
        json.WriteString("kid", context.AzureKek);
        json.WriteString("alg", "dir");
        json.WriteString("enc", "CKM_RSA_AES_KEY_WRAP");
        json.WriteEndObject();
        json.WriteString("ciphertext", Base64Url(wrapped.Ciphertext));
        json.WriteString("generator", context.Generator);
    });

    protected override ImportSteps Instructions(ImportStepContext c)
    {
        IsKeyIdentifier(c.AzureKek!, out var container, out var managedHsm);
        // Azure key names allow letters, digits and '-' only; ours also allow '.' and '_'.
        var name = IsName(c.KeyName.Value, allowDash: true) ? c.KeyName.Value : "<AZURE_KEY_NAME>";
        var kty = c.KeyType.Family switch
        {
            KeyFamily.Ec => $" --kty EC --curve {c.KeyType.AzureCurve}",
            KeyFamily.Aes => " --kty oct",
            KeyFamily.Rsa => "",
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.KeyType.Name, "Azure imports no such key type"),
        };
        var notes = new List<string>
        {
            $"the key is imported into the {(managedHsm ? "managed HSM" : "vault")} that holds the Key Exchange Key ({container})",
        };
        if (c.KeyType.IsAsymmetric)
        {
            notes.Add($"afterwards compare the public key: az keyvault key download {(managedHsm ? "--hsm-name" : "--vault-name")} {container} " +
                      $"--name {name} --encoding DER --file pub.der && sha256sum pub.der  (must be {c.KeyFingerprint})");
        }
        if (name != c.KeyName.Value) notes.Insert(0, $"'{c.KeyName}' is not a valid Azure key name (letters, digits and '-' only): choose one for <AZURE_KEY_NAME>");
        return new(
            [$"az keyvault key import {(managedHsm ? "--hsm-name" : "--vault-name")} {container} --name {name} " +
             $"{c.Flag(Package)}{kty}"],
            [],
            notes);
    }

    static string Base64Url(byte[] data)
    {
        var text = new StringBuilder(Convert.ToBase64String(data));
        text.Replace('+', '-').Replace('/', '_');
        return text.ToString().TrimEnd('=');
    }

    /// <summary>
    /// A Key Exchange Key identifier: https://NAME.vault.azure.net/keys/KEY/VERSION or the managedhsm form. The version
    /// is required because the service resolves the KEK by it.
    /// </summary>
    public static bool IsKeyIdentifier(string kid, out string container, out bool managedHsm)
    {
        container = "";
        managedHsm = false;
        if (!Uri.TryCreate(kid, UriKind.Absolute, out var uri) || uri.Scheme != "https" || !uri.IsDefaultPort ||
            uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0 || kid != uri.OriginalString)
        {
            return false;
        }
        var host = uri.Host;
        string? suffix = host.EndsWith(".vault.azure.net", StringComparison.Ordinal) ? ".vault.azure.net"
            : host.EndsWith(".managedhsm.azure.net", StringComparison.Ordinal) ? ".managedhsm.azure.net" : null;
        if (suffix is null) return false;
        container = host[..^suffix.Length];
        managedHsm = suffix == ".managedhsm.azure.net";
        if (!IsName(container, allowDash: true)) return false;
        var segments = uri.AbsolutePath.Split('/');
        return segments.Length == 4 && segments[0] == "" && segments[1] == "keys" &&
               IsName(segments[2], allowDash: true) && IsName(segments[3], allowDash: false);
    }

    static bool IsName(string s, bool allowDash) =>
        s.Length is > 0 and <= 127 && s.All(c => char.IsAsciiLetterOrDigit(c) || (allowDash && c == '-'));
}
