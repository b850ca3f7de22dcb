namespace CloudIntegration.Tests.Cases;

/// <summary>
/// One row of the table that drives the suite: a provider, a target key type, a wrapping algorithm (null where the
/// provider takes none), the size of the provider's wrapping key and the form its file comes in.
/// </summary>
public sealed record ExportCase(string Provider, string KeyType, string? Algorithm, int WrappingBits, WrapKeyForm Form)
{
    public const string AzureKek = "https://contoso-byok.vault.azure.net/keys/KEKforBYOK/0123456789abcdef0123456789abcdef";

    /// <summary>The hash openssl must use to decrypt (OAEP and MGF1 alike), or pkcs1.</summary>
    public string Padding => Algorithm switch
    {
        "RSAES_OAEP_SHA_256" => "sha256",
        "RSAES_OAEP_SHA_1" => "sha1",
        "RSAES_PKCS1_V1_5" => "pkcs1",
        null => "sha1",   // the implicit algorithm of microsoft-azure (and of cssadmin's google-cloud-key-management)
        _ => throw new ArgumentOutOfRangeException(nameof(Algorithm), Algorithm, "no openssl padding for this algorithm"),
    };

    public bool IsRsaAes => Provider is "google-cloud-key-management" or "microsoft-azure";

    public string[] Arguments(string keyName, string wrapKeyPath)
    {
        var args = new List<string> { Provider, keyName, wrapKeyPath };
        if (Algorithm is not null) args.Add(Algorithm);
        if (Provider == "microsoft-azure") args.AddRange(["-a", AzureKek]);
        if (Provider is "microsoft-azure" or "google-cloud-key-management") args.AddRange(["-k", KeyType]);
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
        // Google's CSEK ingress key is a PEM certificate with an RSA-2048 key.
        foreach (var alg in DirectAlgorithms) cases.Add(new("google-compute-engine", "AES-256", alg, 2048, WrapKeyForm.PemCertificate));
        // Google Cloud KMS import jobs give a PEM public key of 3072 or 4096 bits.
        foreach (var type in new[] { "RSA-2048", "RSA-3072", "RSA-4096", "EC-NISTP256", "EC-NISTP384", "AES-256" })
        {
            cases.Add(new("google-cloud-key-management", type, "RSAES_OAEP_SHA_256", 4096, WrapKeyForm.PemSpki));
            cases.Add(new("google-cloud-key-management", type, "RSAES_OAEP_SHA_1", 3072, WrapKeyForm.PemSpki));
        }
        // Azure's KEK download is a PEM public key of 2048 to 4096 bits.
        var azureBits = new Dictionary<string, int> { ["RSA-2048"] = 2048, ["RSA-3072"] = 3072, ["EC-NISTP256"] = 3072 };
        foreach (var type in new[] { "RSA-2048", "RSA-3072", "RSA-4096", "EC-NISTP256", "EC-NISTP384", "EC-NISTP521", "EC-SECP256K1" })
        {
            cases.Add(new("microsoft-azure", type, null, azureBits.GetValueOrDefault(type, 4096), WrapKeyForm.PemSpki));
        }
        // Salesforce hands out a 4096-bit certificate (.crt, PEM); DER is accepted too.
        cases.Add(new("salesforce", "AES-256", DirectAlgorithms[0], 4096, WrapKeyForm.PemCertificate));
        cases.Add(new("salesforce", "AES-256", DirectAlgorithms[1], 4096, WrapKeyForm.DerCertificate));
        cases.Add(new("salesforce", "AES-256", DirectAlgorithms[2], 4096, WrapKeyForm.PemCertificate));
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
