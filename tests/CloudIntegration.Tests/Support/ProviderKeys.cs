namespace CloudIntegration.Tests.Support;

/// <summary>
/// A provider's RSA key pair made by openssl, in the forms the providers hand out. Made once per size per test run
/// (4096-bit generation takes a second or two) and shared, read-only.
/// </summary>
public sealed class ProviderKeyPair
{
    public required int Bits { get; init; }
    public required string PrivatePem { get; init; }
    public required string PublicDer { get; init; }
    public required string PublicPem { get; init; }
    public required string CertificatePem { get; init; }
    public required string CertificateDer { get; init; }
    public required string PublicBase64 { get; init; }
    public int ModulusBytes => Bits / 8;

    static readonly string DirectoryOf = Path.Combine(Path.GetTempPath(), "cit-provider-keys-" + Environment.ProcessId);
    static readonly Dictionary<int, Lazy<ProviderKeyPair>> Pairs = new()
    {
        [2048] = new(() => Make(2048)),
        [3072] = new(() => Make(3072)),
        [4096] = new(() => Make(4096)),
    };

    public static ProviderKeyPair Get(int bits) => Pairs[bits].Value;

    static ProviderKeyPair Make(int bits)
    {
        Directory.CreateDirectory(DirectoryOf);
        var prefix = Path.Combine(DirectoryOf, $"rsa{bits}");
        OpenSsl.Ok(["genpkey", "-algorithm", "RSA", "-pkeyopt", $"rsa_keygen_bits:{bits}", "-out", prefix + ".pem"]);
        OpenSsl.Ok(["pkey", "-in", prefix + ".pem", "-pubout", "-outform", "DER", "-out", prefix + ".pub.der"]);
        OpenSsl.Ok(["pkey", "-in", prefix + ".pem", "-pubout", "-out", prefix + ".pub.pem"]);
        OpenSsl.Ok(["req", "-x509", "-key", prefix + ".pem", "-subj", "/CN=provider wrapping key", "-days", "30", "-out", prefix + ".crt"]);
        OpenSsl.Ok(["x509", "-in", prefix + ".crt", "-outform", "DER", "-out", prefix + ".crt.der"]);
        File.WriteAllText(prefix + ".pub.b64", Convert.ToBase64String(File.ReadAllBytes(prefix + ".pub.der")));
        return new ProviderKeyPair
        {
            Bits = bits,
            PrivatePem = prefix + ".pem",
            PublicDer = prefix + ".pub.der",
            PublicPem = prefix + ".pub.pem",
            CertificatePem = prefix + ".crt",
            CertificateDer = prefix + ".crt.der",
            PublicBase64 = prefix + ".pub.b64",
        };
    }
}
