using System.Diagnostics;
using System.Text;

namespace CloudIntegration.Tests.Support;

/// <summary>
/// Python's `cryptography` package (pyca), the second provider: an implementation independent of both .NET and the
/// openssl command line's own code paths (it has its own OAEP, key-wrap and ASN.1 handling in Rust), so a file both
/// accept is not an artefact of one library's leniency.
/// </summary>
public static class PyCa
{
    const string Script = """
import sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa, ec, ed25519
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap_with_padding

def rsa_padding(name):
    if name == "pkcs1":
        return padding.PKCS1v15()
    h = {"sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}[name]()
    return padding.OAEP(mgf=padding.MGF1(algorithm=h), algorithm=h, label=None)

def describe(der):
    key = serialization.load_der_private_key(der, password=None)
    if isinstance(key, rsa.RSAPrivateKey):
        return f"RSA {key.key_size}"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return f"EC {key.curve.name}"
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "Ed25519"
    return type(key).__name__

verb, key_path, pad, blob_path = sys.argv[1:5]
if verb == "describe":
    sys.stdout.write(describe(open(blob_path, "rb").read()))
    sys.exit(0)
private = serialization.load_pem_private_key(open(key_path, "rb").read(), password=None)
blob = open(blob_path, "rb").read()
if verb == "direct":
    sys.stdout.buffer.write(private.decrypt(blob, rsa_padding(pad)))
elif verb == "rsa-aes":
    n = private.key_size // 8
    ephemeral = private.decrypt(blob[:n], rsa_padding(pad))
    if len(ephemeral) != 32:
        sys.exit(f"the ephemeral key is {len(ephemeral)} bytes, not 32 (AES-256)")
    sys.stdout.buffer.write(aes_key_unwrap_with_padding(ephemeral, blob[n:]))
else:
    sys.exit("unknown verb " + verb)
""";

    /// <summary>Decrypts a direct RSA wrap (<paramref name="rsaAes"/> false) or unwraps RSA-OAEP ‖ RFC 5649.</summary>
    public static byte[] Unwrap(string privatePem, byte[] blob, string padding, bool rsaAes)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, blob);
            return Run(rsaAes ? "rsa-aes" : "direct", privatePem, padding, file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>What pyca parses a DER PKCS#8 private key as: "RSA 2048", "EC secp256k1", "Ed25519".</summary>
    public static string Describe(byte[] pkcs8)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, pkcs8);
            return Encoding.UTF8.GetString(Run("describe", "-", "-", file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    static byte[] Run(params string[] args)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Script);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(stdout);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"python3 cryptography {args[0]} failed ({process.ExitCode}): {stderr.Result}");
        }
        return stdout.ToArray();
    }
}
