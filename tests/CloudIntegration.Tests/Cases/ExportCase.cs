namespace CloudIntegration.Tests.Cases;

/// <summary>
/// One row of the table that drives the suite: a provider, a target key type, a wrapping algorithm (null where the
/// provider takes none), the size of the provider's wrapping key and the form its file comes in.
/// </summary>
public sealed record ExportCase(string Provider, string KeyType, string? Algorithm, int WrappingBits, WrapKeyForm Form)
{
    public const string AzureKek = "https://contoso-byok.vault.azure.net/keys/KEKforBYOK/0123456789abcdef0123456789abcdef";
    /// <summary>Azure imports AES keys only into a Managed HSM, so AES cases name one's Key Exchange Key.</summary>
    public const string ManagedHsmKek = "https://contoso-hsm.managedhsm.azure.net/keys/KEKforBYOK/0123456789abcdef0123456789abcdef";

    public string Kek => KeyType.StartsWith("AES-", StringComparison.Ordinal) ? ManagedHsmKek : AzureKek;

    /// <summary>
    /// The hash openssl must use to decrypt (OAEP and MGF1 alike), or pkcs1; written from the providers' documentation
    /// (shared/reference/provider-formats.md), not from the tool's registry.
    /// </summary>
    public string Padding => Algorithm switch
    {
        "RSAES_OAEP_SHA_256" or "RSA_AES_KEY_WRAP_SHA_256" => "sha256",
        "RSAES_OAEP_SHA_1" or "RSA_AES_KEY_WRAP_SHA_1" => "sha1",
        "RSA_AES_KEY_WRAP_SHA_224" => "sha224",
        "RSA_AES_KEY_WRAP_SHA_384" => "sha384",
        "RSAES_OAEP_SHA_512" or "RSA_AES_KEY_WRAP_SHA_512" => "sha512",
        "RSA_OAEP_3072_SHA1_AES_256" or "RSA_OAEP_4096_SHA1_AES_256" => "sha1",
        "RSA_OAEP_3072_SHA256_AES_256" or "RSA_OAEP_4096_SHA256_AES_256" or "RSA_OAEP_3072_SHA256" or "RSA_OAEP_4096_SHA256" => "sha256",
        "RSA_OAEP_AES_SHA256" or "RSA_OAEP_SHA256" => "sha256",   // OCI: MGF1 with SHA-256 too (assumed, see README)
        "RSAES_PKCS1_V1_5" => "pkcs1",
        null => "sha1",   // the implicit algorithm of microsoft-azure (and of cssadmin's google-cloud-key-management)
        _ => throw new ArgumentOutOfRangeException(nameof(Algorithm), Algorithm, "no openssl padding for this algorithm"),
    };

    /// <summary>
    /// RSA-OAEP of an ephemeral AES-256 key followed by RFC 5649, decided by the algorithm's documented name; the guide's
    /// RSAES_OAEP names mean that layout at Google Cloud KMS and a direct wrap everywhere else.
    /// </summary>
    public bool IsRsaAes => Algorithm switch
    {
        null => true,
        "RSAES_OAEP_SHA_256" or "RSAES_OAEP_SHA_1" => Provider == "google-cloud-key-management",
        _ => Algorithm is "RSA_OAEP_AES_SHA256" || Algorithm.StartsWith("RSA_AES_", StringComparison.Ordinal)
             || Algorithm.EndsWith("_AES_256", StringComparison.Ordinal),
    };

    public string[] Arguments(string keyName, string wrapKeyPath)
    {
        var args = new List<string> { Provider, keyName, wrapKeyPath };
        if (Algorithm is not null) args.Add(Algorithm);
        if (Provider == "microsoft-azure") args.AddRange(["-a", Kek]);
        if (Provider != "google-compute-engine" && Provider != "salesforce" && !(Provider == "aws" && KeyType == "AES-256")) args.AddRange(["-k", KeyType]);
        return [.. args];
    }

    public override string ToString() => $"{Provider} {KeyType} {Algorithm ?? "(implicit)"} RSA-{WrappingBits} {Form}";
}

public enum WrapKeyForm { DerSpki, PemSpki, Base64Der, PemCertificate, DerCertificate }

/// <summary>The table: every key type and algorithm each provider accepts, with realistic wrapping keys.</summary>
public static class ExportCases
{
    static readonly string[] DirectAlgorithms = ["RSAES_OAEP_SHA_256", "RSAES_OAEP_SHA_1", "RSAES_PKCS1_V1_5"];

    public static IReadOnlyList<ExportCase> All { get; } = Build();

    static List<ExportCase> Build()
    {
        var cases = new List<ExportCase>();
        // AWS hands out DER SubjectPublicKeyInfo (console zip) or base64 of it (API).
        cases.Add(new("aws", "AES-256", DirectAlgorithms[0], 4096, WrapKeyForm.DerSpki));
        cases.Add(new("aws", "AES-256", DirectAlgorithms[1], 3072, WrapKeyForm.Base64Der));
        cases.Add(new("aws", "AES-256", DirectAlgorithms[2], 2048, WrapKeyForm.DerSpki));
        // AWS's asymmetric and HMAC imports: RSA keys only through RSA_AES, the others either way where they fit.
        cases.Add(new("aws", "HMAC-SHA224", "RSAES_OAEP_SHA_256", 2048, WrapKeyForm.DerSpki));
        cases.Add(new("aws", "HMAC-SHA256", "RSAES_OAEP_SHA_1", 3072, WrapKeyForm.Base64Der));
        cases.Add(new("aws", "HMAC-SHA384", "RSA_AES_KEY_WRAP_SHA_256", 4096, WrapKeyForm.DerSpki));
        cases.Add(new("aws", "HMAC-SHA512", "RSA_AES_KEY_WRAP_SHA_1", 2048, WrapKeyForm.DerSpki));
        cases.Add(new("aws", "RSA-2048", "RSA_AES_KEY_WRAP_SHA_256", 2048, WrapKeyForm.DerSpki));
        cases.Add(new("aws", "RSA-3072", "RSA_AES_KEY_WRAP_SHA_1", 3072, WrapKeyForm.Base64Der));
        cases.Add(new("aws", "RSA-4096", "RSA_AES_KEY_WRAP_SHA_256", 4096, WrapKeyForm.DerSpki));
        cases.Add(new("aws", "EC-NISTP256", "RSAES_OAEP_SHA_256", 2048, WrapKeyForm.DerSpki));
        cases.Add(new("aws", "EC-NISTP384", "RSA_AES_KEY_WRAP_SHA_1", 3072, WrapKeyForm.DerSpki));
        cases.Add(new("aws", "EC-NISTP521", "RSA_AES_KEY_WRAP_SHA_256", 2048, WrapKeyForm.DerSpki));
        cases.Add(new("aws", "EC-SECP256K1", "RSAES_OAEP_SHA_1", 4096, WrapKeyForm.DerSpki));
        // Google's CSEK ingress key is a PEM certificate with an RSA-2048 key.
        foreach (var alg in DirectAlgorithms) cases.Add(new("google-compute-engine", "AES-256", alg, 2048, WrapKeyForm.PemCertificate));
        // Google Cloud KMS import jobs give a PEM public key of 3072 or 4096 bits.
        foreach (var type in new[] { "RSA-2048", "RSA-3072", "RSA-4096", "EC-NISTP256", "EC-NISTP384", "AES-256" })
        {
            cases.Add(new("google-cloud-key-management", type, "RSAES_OAEP_SHA_256", 4096, WrapKeyForm.PemSpki));
            cases.Add(new("google-cloud-key-management", type, "RSAES_OAEP_SHA_1", 3072, WrapKeyForm.PemSpki));
        }
        // Google's own import-method names, and the key types added since the guides.
        cases.Add(new("google-cloud-key-management", "EC-SECP256K1", "RSA_OAEP_3072_SHA1_AES_256", 3072, WrapKeyForm.PemSpki));
        cases.Add(new("google-cloud-key-management", "EC-ED25519", "RSA_OAEP_4096_SHA256_AES_256", 4096, WrapKeyForm.PemSpki));
        cases.Add(new("google-cloud-key-management", "AES-128", "RSA_OAEP_3072_SHA256", 3072, WrapKeyForm.PemSpki));
        cases.Add(new("google-cloud-key-management", "AES-256", "RSA_OAEP_4096_SHA256", 4096, WrapKeyForm.PemSpki));
        cases.Add(new("google-cloud-key-management", "HMAC-SHA1", "RSA_OAEP_4096_SHA1_AES_256", 4096, WrapKeyForm.PemSpki));
        cases.Add(new("google-cloud-key-management", "HMAC-SHA224", "RSAES_OAEP_SHA_256", 4096, WrapKeyForm.PemSpki));
        cases.Add(new("google-cloud-key-management", "HMAC-SHA256", "RSA_OAEP_3072_SHA256_AES_256", 3072, WrapKeyForm.PemSpki));
        cases.Add(new("google-cloud-key-management", "HMAC-SHA384", "RSA_OAEP_4096_SHA256", 4096, WrapKeyForm.PemSpki));
        cases.Add(new("google-cloud-key-management", "HMAC-SHA512", "RSAES_OAEP_SHA_1", 3072, WrapKeyForm.PemSpki));
        // Azure's KEK download is a PEM public key of 2048 to 4096 bits; AES keys go to a Managed HSM.
        var azureBits = new Dictionary<string, int> { ["RSA-2048"] = 2048, ["RSA-3072"] = 3072, ["EC-NISTP256"] = 3072, ["AES-128"] = 2048, ["AES-192"] = 3072 };
        foreach (var type in new[] { "RSA-2048", "RSA-3072", "RSA-4096", "EC-NISTP256", "EC-NISTP384", "EC-NISTP521", "EC-SECP256K1", "AES-128", "AES-192", "AES-256" })
        {
            cases.Add(new("microsoft-azure", type, null, azureBits.GetValueOrDefault(type, 4096), WrapKeyForm.PemSpki));
        }
        // Salesforce hands out a 4096-bit certificate (.crt, PEM); DER is accepted too.
        cases.Add(new("salesforce", "AES-256", "RSAES_OAEP_SHA_512", 4096, WrapKeyForm.PemCertificate));
        cases.Add(new("salesforce", "AES-256", DirectAlgorithms[0], 4096, WrapKeyForm.PemCertificate));
        cases.Add(new("salesforce", "AES-256", DirectAlgorithms[1], 4096, WrapKeyForm.DerCertificate));
        cases.Add(new("salesforce", "AES-256", DirectAlgorithms[2], 4096, WrapKeyForm.PemCertificate));
        // OCI's vault wrapping key is a PEM public key; AES keys either way, RSA keys only through RSA-AES.
        cases.Add(new("oracle-cloud", "AES-128", "RSA_OAEP_SHA256", 2048, WrapKeyForm.PemSpki));
        cases.Add(new("oracle-cloud", "AES-192", "RSA_OAEP_AES_SHA256", 3072, WrapKeyForm.PemSpki));
        cases.Add(new("oracle-cloud", "AES-256", "RSA_OAEP_SHA256", 4096, WrapKeyForm.PemSpki));
        cases.Add(new("oracle-cloud", "RSA-2048", "RSA_OAEP_AES_SHA256", 2048, WrapKeyForm.PemSpki));
        cases.Add(new("oracle-cloud", "RSA-3072", "RSA_OAEP_AES_SHA256", 4096, WrapKeyForm.PemSpki));
        cases.Add(new("oracle-cloud", "RSA-4096", "RSA_OAEP_AES_SHA256", 4096, WrapKeyForm.PemSpki));
        // Vault's transit wrapping key is RSA-4096 PEM; every hash_function once.
        cases.Add(new("hashicorp-vault", "AES-256", "RSA_AES_KEY_WRAP_SHA_256", 4096, WrapKeyForm.PemSpki));
        cases.Add(new("hashicorp-vault", "AES-128", "RSA_AES_KEY_WRAP_SHA_1", 4096, WrapKeyForm.PemSpki));
        cases.Add(new("hashicorp-vault", "RSA-2048", "RSA_AES_KEY_WRAP_SHA_224", 4096, WrapKeyForm.PemSpki));
        cases.Add(new("hashicorp-vault", "RSA-3072", "RSA_AES_KEY_WRAP_SHA_384", 4096, WrapKeyForm.PemSpki));
        cases.Add(new("hashicorp-vault", "RSA-4096", "RSA_AES_KEY_WRAP_SHA_512", 4096, WrapKeyForm.PemSpki));
        cases.Add(new("hashicorp-vault", "EC-NISTP256", "RSA_AES_KEY_WRAP_SHA_256", 4096, WrapKeyForm.PemSpki));
        cases.Add(new("hashicorp-vault", "EC-NISTP384", "RSA_AES_KEY_WRAP_SHA_1", 4096, WrapKeyForm.PemSpki));
        cases.Add(new("hashicorp-vault", "EC-NISTP521", "RSA_AES_KEY_WRAP_SHA_512", 4096, WrapKeyForm.PemSpki));
        cases.Add(new("hashicorp-vault", "EC-ED25519", "RSA_AES_KEY_WRAP_SHA_256", 4096, WrapKeyForm.PemSpki));
        cases.Add(new("hashicorp-vault", "HMAC-SHA256", "RSA_AES_KEY_WRAP_SHA_256", 4096, WrapKeyForm.PemSpki));
        cases.Add(new("hashicorp-vault", "HMAC-SHA384", "RSA_AES_KEY_WRAP_SHA_384", 4096, WrapKeyForm.PemSpki));
        cases.Add(new("hashicorp-vault", "HMAC-SHA512", "RSA_AES_KEY_WRAP_SHA_512", 4096, WrapKeyForm.PemSpki));
        return cases;
    }

    public static string WrapKeyFile(this Support.ProviderKeyPair pair, WrapKeyForm form) => form switch
    {
        WrapKeyForm.DerSpki => pair.PublicDer,
        WrapKeyForm.PemSpki => pair.PublicPem,
        WrapKeyForm.Base64Der => pair.PublicBase64,
        WrapKeyForm.PemCertificate => pair.CertificatePem,
        WrapKeyForm.DerCertificate => pair.CertificateDer,
        _ => throw new ArgumentOutOfRangeException(nameof(form), form, "unknown wrapping key form"),
    };
}
