using System.Formats.Asn1;
using System.Text;
using System.Text.Json;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests.Cases;

/// <summary>
/// Plays the provider with two implementations we did not write, openssl and Python's cryptography: reads the files an
/// export wrote, checks their exact format, decrypts and unwraps them with the provider's private key (both must agree
/// byte for byte), and returns the target key plaintext that the provider would import.
/// </summary>
public static class ProviderOracle
{
    /// <summary>Returns the plaintext key. For RSA and EC keys it is the DER PKCS#8 PrivateKeyInfo, checked by openssl.</summary>
    public static byte[] Import(ExportCase c, string outputDirectory, string keyName, ProviderKeyPair pair)
    {
        switch (c.Provider)
        {
            case "aws":
            {
                var blob = File.ReadAllBytes(Path.Combine(outputDirectory, $"{keyName}-wrapped"));
                return CheckTarget(c.KeyType, Unwrap(c, blob, pair));
            }
            case "google-compute-engine":
            {
                var text = File.ReadAllText(Path.Combine(outputDirectory, $"{keyName}-wrapped"));
                Assert.Equal(StandardBase64Length(pair.ModulusBytes), text.Length);   // 344 for RSA-2048, no newline
                return CheckAes(Decrypt(pair, Convert.FromBase64String(text), c.Padding));
            }
            case "google-cloud-key-management":
            {
                var blob = File.ReadAllBytes(Path.Combine(outputDirectory, $"{keyName}-wrapped.bin"));
                return CheckTarget(c.KeyType, Unwrap(c, blob, pair));
            }
            case "microsoft-azure":
            {
                var json = File.ReadAllText(Path.Combine(outputDirectory, $"KeyTransferPackage-{keyName}.byok"));
                using var doc = JsonDocument.Parse(json);
                var root = doc.RootElement;
                Assert.Equal(["schema_version", "header", "ciphertext", "generator"], root.EnumerateObject().Select(p => p.Name));
                Assert.Equal("1.0.0", root.GetProperty("schema_version").GetString());
                var header = root.GetProperty("header");
                Assert.Equal(["kid", "alg", "enc"], header.EnumerateObject().Select(p => p.Name));
                Assert.Equal(c.Kek, header.GetProperty("kid").GetString());
                Assert.Equal("dir", header.GetProperty("alg").GetString());
                Assert.Equal("CKM_RSA_AES_KEY_WRAP", header.GetProperty("enc").GetString());
                Assert.StartsWith("cloud_integration_tool ", root.GetProperty("generator").GetString());
                var ciphertext = root.GetProperty("ciphertext").GetString()!;
                Assert.Matches("^[A-Za-z0-9_-]+$", ciphertext);                      // base64url, unpadded
                return CheckTarget(c.KeyType, UnwrapRsaAes(FromBase64Url(ciphertext), pair, "sha1"));
            }
            case "salesforce":
            {
                var wrapped = File.ReadAllText(Path.Combine(outputDirectory, $"{keyName}-wrapped"));
                var hash = File.ReadAllText(Path.Combine(outputDirectory, $"{keyName}-hash"));
                var secret = CheckAes(Decrypt(pair, Convert.FromBase64String(wrapped), c.Padding));
                Assert.Equal(OpenSsl.Sha256Base64(secret), hash);
                return secret;
            }
            case "oracle-cloud":
            {
                // OCI's WrappedImportKey, as the OCI CLI reads --wrapped-import-key file://...
                using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outputDirectory, $"{keyName}-oci-import.json")));
                var root = doc.RootElement;
                Assert.Equal(["keyMaterial", "wrappingAlgorithm"], root.EnumerateObject().Select(p => p.Name));
                Assert.Equal(c.Algorithm, root.GetProperty("wrappingAlgorithm").GetString());
                var blob = Convert.FromBase64String(root.GetProperty("keyMaterial").GetString()!);
                return CheckTarget(c.KeyType, Unwrap(c, blob, pair));
            }
            case "hashicorp-vault":
            {
                // Vault's transit import body: the first 512 bytes of ciphertext are the RSA part, the rest RFC 5649.
                using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outputDirectory, $"{keyName}-vault-import.json")));
                var root = doc.RootElement;
                Assert.Equal(["ciphertext", "hash_function", "type"], root.EnumerateObject().Select(p => p.Name));
                Assert.Equal(c.Padding.ToUpperInvariant(), root.GetProperty("hash_function").GetString());
                Assert.Equal(VaultType(c.KeyType), root.GetProperty("type").GetString());
                var blob = Convert.FromBase64String(root.GetProperty("ciphertext").GetString()!);
                Assert.Equal(512, pair.ModulusBytes);
                return CheckTarget(c.KeyType, UnwrapRsaAes(blob, pair, c.Padding));
            }
            default:
                throw new ArgumentException(c.Provider);
        }
    }

    /// <summary>Vault's transit key type names (Vault's API docs, /transit/keys/:name type).</summary>
    static string VaultType(string keyType) => keyType switch
    {
        "AES-128" => "aes128-gcm96",
        "AES-256" => "aes256-gcm96",
        "RSA-2048" => "rsa-2048",
        "RSA-3072" => "rsa-3072",
        "RSA-4096" => "rsa-4096",
        "EC-NISTP256" => "ecdsa-p256",
        "EC-NISTP384" => "ecdsa-p384",
        "EC-NISTP521" => "ecdsa-p521",
        "EC-ED25519" => "ed25519",
        _ when keyType.StartsWith("HMAC-", StringComparison.Ordinal) => "hmac",
        _ => throw new ArgumentException(keyType),
    };

    /// <summary>A provider blob decrypted the way the case's algorithm says: a direct RSA block, or RSA-AES.</summary>
    static byte[] Unwrap(ExportCase c, byte[] blob, ProviderKeyPair pair)
    {
        if (c.IsRsaAes) return UnwrapRsaAes(blob, pair, c.Padding);
        Assert.Equal(pair.ModulusBytes, blob.Length);
        return Decrypt(pair, blob, c.Padding);
    }

    /// <summary>A direct RSA wrap, decrypted by openssl and by pyca, which must agree.</summary>
    static byte[] Decrypt(ProviderKeyPair pair, byte[] blob, string padding)
    {
        var plaintext = OpenSsl.Decrypt(pair.PrivatePem, blob, padding);
        Assert.Equal(plaintext, PyCa.Unwrap(pair.PrivatePem, blob, padding, rsaAes: false));
        return plaintext;
    }

    /// <summary>
    /// Splits RSA part and KWP part at the modulus length, decrypts the first and unwraps the second, with openssl and
    /// with pyca, which must agree.
    /// </summary>
    public static byte[] UnwrapRsaAes(byte[] blob, ProviderKeyPair pair, string padding)
    {
        Assert.True(blob.Length > pair.ModulusBytes + 16, "the blob is shorter than an RSA block plus a key wrap");
        var ephemeral = OpenSsl.Decrypt(pair.PrivatePem, blob[..pair.ModulusBytes], padding);
        Assert.Equal(32, ephemeral.Length);                                            // AES-256 ephemeral key
        var kwp = blob[pair.ModulusBytes..];
        Assert.Equal(0, kwp.Length % 8);
        var plaintext = OpenSsl.UnwrapKwp(ephemeral, kwp);
        Assert.Equal(plaintext, PyCa.Unwrap(pair.PrivatePem, blob, padding, rsaAes: true));
        return plaintext;
    }

    static byte[] CheckAes(byte[] key, int bytes = 32)
    {
        Assert.Equal(bytes, key.Length);
        return key;
    }

    /// <summary>The raw key length of a symmetric key type: AES by its size, HMAC by its hash's output length.</summary>
    static int? RawLength(string keyType) => keyType switch
    {
        "AES-128" => 16, "AES-192" => 24, "AES-256" => 32,
        "HMAC-SHA1" => 20, "HMAC-SHA224" => 28, "HMAC-SHA256" => 32, "HMAC-SHA384" => 48, "HMAC-SHA512" => 64,
        _ => null,
    };

    /// <summary>Checks that the unwrapped target is what the provider expects for the key type, by openssl's parse.</summary>
    public static byte[] CheckTarget(string keyType, byte[] plaintext)
    {
        if (RawLength(keyType) is { } raw) return CheckAes(plaintext, raw);
        var der = plaintext;
        Assert.Equal(der.Length, DerLength(der));       // exactly the PKCS#8 key: no trailing bytes of any kind
        var asn1 = Encoding.ASCII.GetString(OpenSsl.Ok(["asn1parse", "-inform", "DER"], der));
        Assert.Contains("INTEGER           :00", asn1);                                // PrivateKeyInfo version 0
        var text = OpenSsl.DescribePrivateKey(der);
        var pyca = PyCa.Describe(der);
        switch (keyType)
        {
            case "RSA-2048" or "RSA-3072" or "RSA-4096":
                Assert.Contains("rsaEncryption", asn1);
                Assert.Contains($"Private-Key: ({keyType[4..]} bit, 2 primes)", text);
                Assert.Equal($"RSA {keyType[4..]}", pyca);
                break;
            case "EC-ED25519":
                Assert.Contains(":ED25519", asn1);                                     // RFC 8410 id-Ed25519, no parameters
                Assert.Contains("ED25519 Private-Key:", text);
                Assert.Equal("Ed25519", pyca);
                Assert.Equal(48, der.Length);                                           // RFC 8410's 32-byte seed form
                break;
            default:
                Assert.Contains("id-ecPublicKey", asn1);
                var curve = keyType switch
                {
                    "EC-NISTP256" => "prime256v1",
                    "EC-NISTP384" => "secp384r1",
                    "EC-NISTP521" => "secp521r1",
                    _ => "secp256k1",
                };
                Assert.Contains($":{curve}", asn1);                                     // named curve, not explicit parameters
                Assert.Equal(curve == "prime256v1" ? "EC secp256r1" : $"EC {curve}", pyca);
                Assert.True(HasEmbeddedPublicKey(der), "the ECPrivateKey lacks its [1] publicKey");
                break;
        }
        return der;
    }

    static int DerLength(byte[] der)
    {
        Assert.Equal(0x30, der[0]);
        if (der[1] < 0x80) return 2 + der[1];
        var n = der[1] & 0x7F;
        var len = 0;
        for (var i = 0; i < n; i++) len = (len << 8) | der[2 + i];
        return 2 + n + len;
    }

    /// <summary>Whether the ECPrivateKey inside the PKCS#8 carries the optional [1] publicKey (some importers need it).</summary>
    public static bool HasEmbeddedPublicKey(byte[] pkcs8)
    {
        var info = new AsnReader(pkcs8, AsnEncodingRules.DER).ReadSequence();
        info.ReadInteger();
        info.ReadSequence();
        var ecPrivateKey = new AsnReader(info.ReadOctetString(), AsnEncodingRules.DER).ReadSequence();
        while (ecPrivateKey.HasData)
        {
            if (ecPrivateKey.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1))) return true;
            ecPrivateKey.ReadEncodedValue();
        }
        return false;
    }

    public static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }

    static int StandardBase64Length(int bytes) => (bytes + 2) / 3 * 4;
}
