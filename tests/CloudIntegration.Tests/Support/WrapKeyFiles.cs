using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CloudIntegration.Tests.Support;

/// <summary>Hostile and wrong wrapping-key files, made by openssl where it can and by .NET where openssl 3.0 cannot (dates).</summary>
public static class WrapKeyFiles
{
    public static string EcPublicKey(Scratch s)
    {
        var priv = s.PathOf("ec.pem");
        OpenSsl.Ok(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", priv]);
        OpenSsl.Ok(["pkey", "-in", priv, "-pubout", "-out", s.PathOf("ec.pub.pem")]);
        return s.PathOf("ec.pub.pem");
    }

    public static string SmallRsa(Scratch s)
    {
        var priv = s.PathOf("rsa1024.pem");
        OpenSsl.Ok(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", priv]);
        OpenSsl.Ok(["pkey", "-in", priv, "-pubout", "-outform", "DER", "-out", s.PathOf("rsa1024.der")]);
        return s.PathOf("rsa1024.der");
    }

    public static string Certificate(Scratch s, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=provider", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(notBefore, notAfter);
        return s.Write($"cert-{Guid.NewGuid():N}.crt", cert.ExportCertificatePem());
    }
}
