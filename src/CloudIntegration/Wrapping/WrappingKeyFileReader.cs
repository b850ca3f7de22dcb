using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CloudIntegration.Errors;
using CloudIntegration.IO;

namespace CloudIntegration.Wrapping;

/// <summary>
/// Recognises what providers hand out: DER or PEM SubjectPublicKeyInfo, PEM <c>RSA PUBLIC KEY</c>, PEM or DER X.509
/// certificates, and AWS's wrapping key saved as binary DER or as the base64 text its API returns.
/// </summary>
static class WrappingKeyFileReader
{
    const int MaxFileBytes = 64 * 1024;

    public static WrappingPublicKey Read(string path, DateTime now)
    {
        byte[]? data;
        try
        {
            data = BoundedFile.Read(path, MaxFileBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RuntimeErrors.WrapKeyFile(path, Problem(e, path));
        }
        if (data is null)
        {
            var size = SafeLength(path);
            throw RuntimeErrors.WrapKeyFile(path, size > MaxFileBytes
                ? $"is {size} bytes; a public key or certificate is under {MaxFileBytes / 1024} KiB"
                : $"is larger than {MaxFileBytes / 1024} KiB; a public key or certificate is smaller (give the provider's key file, not a device or a stream)");
        }
        return ReadContent(data, path, now);
    }

    /// <summary>The parsing alone, for content already in memory (the fuzz tests drive this).</summary>
    internal static WrappingPublicKey ReadContent(byte[] data, string path, DateTime now)
    {
        if (data.AsSpan().StartsWith("\uFEFF"u8)) data = data[3..];   // a UTF-8 byte-order mark from a Windows editor
        if (data.Length == 0) throw RuntimeErrors.WrapKeyFile(path, "is empty");

        var text = TryAscii(data);
        if (text is not null && text.Contains("-----BEGIN", StringComparison.Ordinal)) return FromPem(text, path, now);
        if (text is not null && TryBase64(text) is { } decoded) return FromDer(CheckWhole(decoded, path), "base64 DER", path, now);
        return FromDer(CheckWhole(data, path), "DER", path, now);
    }

    /// <summary>A regular file's length; 0 for a device or a pipe, or when it cannot be seen.</summary>
    static long SafeLength(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    static bool IsDanglingLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    static string Problem(Exception e, string path) => e switch
    {
        FileNotFoundException when IsDanglingLink(path) =>
            "is a symbolic link to a file that does not exist",
        FileNotFoundException => "does not exist",
        IOException { HResult: 20 } when path.EndsWith('/') => "is not a directory, but the path ends with '/'",
        IOException { HResult: 21 } => "is a directory, not a key file",
        _ => "cannot be read: " + ErrorText.Describe(e),
    };

    /// <summary>PEM as RFC 7468 defines it, found by the runtime's reader; what is wrong is said when none is found.</summary>
    static WrappingPublicKey FromPem(string text, string path, DateTime now)
    {
        if (!PemEncoding.TryFind(text, out var fields)) throw MalformedPem(text, path);
        var label = text[fields.Label];
        RefusePrivateKey(label, path);
        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(text.AsSpan()[fields.Base64Data], der, out var written) || written != der.Length)
        {
            throw RuntimeErrors.WrapKeyFile(path, $"the PEM block '{ErrorText.Shorten(label)}' is not valid base64");
        }
        return label switch
        {
            "PUBLIC KEY" => FromSpki(CheckWhole(der, path), "PEM SubjectPublicKeyInfo", path),
            "RSA PUBLIC KEY" => WrappingPublicKey.FromRsaPublicKey(CheckWhole(der, path), "PEM RSA PUBLIC KEY", path),
            "CERTIFICATE" or "X509 CERTIFICATE" or "TRUSTED CERTIFICATE" => FromCertificate(CheckWhole(der, path), "PEM certificate", path, now),
            _ => throw RuntimeErrors.WrapKeyFile(path, $"holds a PEM '{ErrorText.Shorten(label)}'; expected PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE"),
        };
    }

    /// <summary>Why the text that starts like PEM is not: the header, the END line, or the base64 between them.</summary>
    static ToolError MalformedPem(string text, string path)
    {
        var begin = text.IndexOf("-----BEGIN", StringComparison.Ordinal);
        var lineEnd = text.IndexOfAny(['\r', '\n'], begin);
        var header = lineEnd < 0 ? text[begin..] : text[begin..lineEnd];
        if (!header.StartsWith("-----BEGIN ", StringComparison.Ordinal) || header.Length < 16 || !header.EndsWith("-----", StringComparison.Ordinal))
        {
            RefusePrivateKey(header, path);
            return RuntimeErrors.WrapKeyFile(path, $"has a malformed PEM header '{ErrorText.Shorten(header)}' (expected -----BEGIN LABEL-----)");
        }
        var label = header[11..^5];
        RefusePrivateKey(label, path);
        if (!text.Contains($"-----END {label}-----", StringComparison.Ordinal))
        {
            return RuntimeErrors.WrapKeyFile(path, $"the PEM block '{ErrorText.Shorten(label)}' has no END line (the file is truncated)");
        }
        return RuntimeErrors.WrapKeyFile(path, $"the PEM block '{ErrorText.Shorten(label)}' is not valid base64 or not RFC 7468 PEM");
    }

    static void RefusePrivateKey(string label, string path)
    {
        if (label.Contains("PRIVATE KEY", StringComparison.Ordinal)) throw PrivateKeyGiven(path);
    }

    static ToolError PrivateKeyGiven(string path) =>
        RuntimeErrors.WrapKeyFile(path, "holds a private key; give the provider's public key or certificate " +
                                        "(a wrapping key file never contains a private key)");

    /// <summary>DER that <see cref="CheckWhole"/> has accepted.</summary>
    static WrappingPublicKey FromDer(byte[] der, string encoding, string path, DateTime now)
    {
        var shape = Classify(der);
        return shape switch
        {
            DerShape.Spki => FromSpki(der, encoding + " SubjectPublicKeyInfo", path),
            DerShape.Certificate => FromCertificate(der, encoding + " certificate", path, now),
            DerShape.RsaPublicKey => WrappingPublicKey.FromRsaPublicKey(der, encoding + " RSA public key", path),
            DerShape.PrivateKey => throw PrivateKeyGiven(path),
            _ => throw RuntimeErrors.WrapKeyFile(path, "is not a public key or certificate (expected DER or PEM SubjectPublicKeyInfo, " +
                                              "PEM RSA PUBLIC KEY, an X.509 certificate, or base64 of DER)"),
        };
    }

    enum DerShape { Unknown, Spki, Certificate, RsaPublicKey, PrivateKey }

    /// <summary>Looks at the ASN.1 structure only, so private keys are recognised without being parsed as keys.</summary>
    static DerShape Classify(byte[] der)
    {
        try
        {
            var outer = WrappingPublicKey.Der(der).ReadSequence();
            var first = outer.PeekTag();
            if (first.HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var firstSeq = outer.ReadSequence();
                var second = outer.HasData ? outer.PeekTag() : default;
                if (second.HasSameClassAndValue(Asn1Tag.PrimitiveBitString) && firstSeq.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
                {
                    return DerShape.Spki;
                }
                if (second.HasSameClassAndValue(Asn1Tag.Sequence)) return DerShape.Certificate;
                if (second.HasSameClassAndValue(Asn1Tag.PrimitiveOctetString)) return DerShape.PrivateKey; // encrypted PKCS#8
                return DerShape.Unknown;
            }
            if (first.HasSameClassAndValue(Asn1Tag.Integer))
            {
                var count = 0;
                var firstInteger = outer.ReadIntegerBytes().Span;
                count++;
                var nextIsSequence = outer.HasData && outer.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence);
                var nextIsOctets = outer.HasData && outer.PeekTag().HasSameClassAndValue(Asn1Tag.PrimitiveOctetString);
                if (nextIsSequence || nextIsOctets) return DerShape.PrivateKey; // PKCS#8 or SEC1 EC private key
                while (outer.HasData && outer.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
                {
                    outer.ReadIntegerBytes();
                    count++;
                }
                if (count == 2 && !outer.HasData) return DerShape.RsaPublicKey;
                if (count >= 9 && firstInteger.Length == 1) return DerShape.PrivateKey; // PKCS#1 RSAPrivateKey
            }
        }
        catch (AsnContentException) { }
        return DerShape.Unknown;
    }

    /// <summary>Fails with "truncated" when the outer DER length runs past the end of the data.</summary>
    static byte[] CheckWhole(byte[] der, string path)
    {
        try
        {
            AsnDecoder.ReadEncodedValue(der, AsnEncodingRules.BER, out _, out var contentLength, out var consumed);
            if (consumed < der.Length && der.AsSpan(consumed).IndexOfAnyExcept((byte)0) >= 0)
            {
                throw RuntimeErrors.WrapKeyFile(path, $"has {der.Length - consumed} unexpected bytes after the DER structure");
            }
            _ = contentLength;
            return der;
        }
        catch (AsnContentException)
        {
            if (der.Length > 1 && der[0] == 0x30 && DeclaredLength(der) is { } declared && declared > der.Length)
            {
                throw RuntimeErrors.WrapKeyFile(path, $"is truncated: the DER structure declares {declared} bytes but the file has {der.Length}");
            }
            throw RuntimeErrors.WrapKeyFile(path, "is not a public key or certificate (not valid DER, PEM or base64)");
        }
    }

    static int? DeclaredLength(byte[] der)
    {
        if (der[1] < 0x80) return 2 + der[1];
        var n = der[1] & 0x7F;
        if (n is 0 or > 3 || der.Length < 2 + n) return null;
        var len = 0;
        for (var i = 0; i < n; i++) len = (len << 8) | der[2 + i];
        return 2 + n + len;
    }

    static WrappingPublicKey FromSpki(byte[] der, string format, string path)
    {
        try
        {
            var spki = WrappingPublicKey.Der(der).ReadSequence();
            var algorithm = spki.ReadSequence();
            var oid = algorithm.ReadObjectIdentifier();
            if (!WrappingPublicKey.IsRsaEncryption(oid))
            {
                throw RuntimeErrors.WrapKeyFile(path, $"holds {WrappingPublicKey.DescribeAlgorithm(oid)}; the provider's wrapping key must be RSA");
            }
            var bits = spki.ReadBitString(out _);
            return WrappingPublicKey.FromRsaPublicKey(bits, format, path);
        }
        catch (AsnContentException)
        {
            throw RuntimeErrors.WrapKeyFile(path, "the SubjectPublicKeyInfo is malformed");
        }
    }

    static WrappingPublicKey FromCertificate(byte[] der, string format, string path, DateTime now)
    {
        DateTime notBefore, notAfter;
        string oid;
        byte[] rsaPublicKey;
        try
        {
            using var cert = X509CertificateLoader.LoadCertificate(der);
            notBefore = cert.NotBefore.ToUniversalTime();
            notAfter = cert.NotAfter.ToUniversalTime();
            oid = cert.PublicKey.Oid.Value ?? "unknown";
            rsaPublicKey = cert.PublicKey.EncodedKeyValue.RawData;
        }
        catch (CryptographicException)
        {
            // The platform's reader gives no reason worth showing (its text is a resource key in this build).
            throw RuntimeErrors.WrapKeyFile(path, "the certificate could not be parsed (it is malformed or uses an encoding the platform does not read)");
        }
        if (now < notBefore)
        {
            throw RuntimeErrors.WrapKeyFile(path, $"the certificate is not valid until {notBefore:yyyy-MM-dd HH:mm:ss} UTC; check the system clock or get a current certificate");
        }
        if (now > notAfter)
        {
            throw RuntimeErrors.WrapKeyFile(path, $"the certificate expired on {notAfter:yyyy-MM-dd HH:mm:ss} UTC; download a current one from the provider");
        }
        if (!WrappingPublicKey.IsRsaEncryption(oid))
        {
            throw RuntimeErrors.WrapKeyFile(path, $"the certificate holds {WrappingPublicKey.DescribeAlgorithm(oid)}; the provider's wrapping key must be RSA");
        }
        return WrappingPublicKey.FromRsaPublicKey(rsaPublicKey, format, path);
    }

    static string? TryAscii(byte[] data)
    {
        foreach (var b in data)
        {
            if (b is not ((>= 0x20 and < 0x7F) or (byte)'\n' or (byte)'\r' or (byte)'\t')) return null;
        }
        return Encoding.ASCII.GetString(data);
    }

    static byte[]? TryBase64(string text)
    {
        var compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        if (compact.Length < 16) return null;
        var buffer = new byte[compact.Length];
        return Convert.TryFromBase64String(compact, buffer, out var written) ? buffer[..written] : null;
    }
}
