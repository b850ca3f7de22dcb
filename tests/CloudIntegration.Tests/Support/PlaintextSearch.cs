using System.Formats.Asn1;
using System.Text;
using Xunit;

namespace CloudIntegration.Tests.Support;

/// <summary>Looks for key plaintext (learned from outside, by unwrapping an export) in every file under a directory.</summary>
public static class PlaintextSearch
{
    /// <summary>
    /// The secret inside the plaintext: the whole of an AES or HMAC key; 32 bytes of an RSA key's private exponent; an
    /// EC key's private scalar; an Ed25519 key's seed. (A PKCS#8 blob also holds public values, which may rightly be
    /// stored in the clear.)
    /// </summary>
    public static byte[] SecretPart(byte[] plaintext)
    {
        if (plaintext.Length <= 32 || plaintext[0] != 0x30) return plaintext;
        try
        {
            return PrivateKeyInfoSecret(plaintext);
        }
        catch (AsnContentException)
        {
            return plaintext;   // a raw HMAC key that happens to start with 0x30
        }
    }

    static byte[] PrivateKeyInfoSecret(byte[] plaintext)
    {
        var info = new AsnReader(plaintext, AsnEncodingRules.BER).ReadSequence();
        info.ReadInteger();
        var algorithm = info.ReadSequence().ReadObjectIdentifier();
        if (algorithm == "1.3.101.112") return new AsnReader(info.ReadOctetString(), AsnEncodingRules.DER).ReadOctetString();   // RFC 8410
        var inner = new AsnReader(info.ReadOctetString(), AsnEncodingRules.DER).ReadSequence();
        inner.ReadInteger();
        if (algorithm == "1.2.840.113549.1.1.1")
        {
            inner.ReadInteger();                  // modulus
            inner.ReadInteger();                  // public exponent
            return inner.ReadIntegerBytes().ToArray()[1..33];
        }
        return inner.ReadOctetString();
    }

    public static void AssertAbsent(string directory, byte[] plaintext)
    {
        if (!Directory.Exists(directory)) return;
        var probe = SecretPart(plaintext);
        var needles = new List<(string Form, byte[] Bytes)>
        {
            ("raw", probe),
            ("hex", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(probe))),
            ("HEX", Encoding.ASCII.GetBytes(Convert.ToHexString(probe))),
        };
        // base64 of the probe at each of the three alignments.
        for (var shift = 0; shift < 3; shift++)
        {
            var b64 = Convert.ToBase64String(probe[shift..]);
            needles.Add(($"base64+{shift}", Encoding.ASCII.GetBytes(b64[4..^4])));
            needles.Add(($"base64url+{shift}", Encoding.ASCII.GetBytes(b64[4..^4].Replace('+', '-').Replace('/', '_'))));
        }
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var content = File.ReadAllBytes(file);
            foreach (var (form, needle) in needles)
            {
                Assert.False(content.AsSpan().IndexOf(needle) >= 0, $"key plaintext ({form}) found in {file}");
            }
        }
    }
}
