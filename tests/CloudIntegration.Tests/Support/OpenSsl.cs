using System.Diagnostics;
using System.Text;

namespace CloudIntegration.Tests.Support;

/// <summary>
/// The openssl command line, playing the cloud provider. Everything the tests conclude about our output comes through
/// here, from an implementation we did not write.
/// </summary>
public static class OpenSsl
{
    public sealed record Result(int ExitCode, byte[] Stdout, string Stderr)
    {
        public string Text => Encoding.UTF8.GetString(Stdout);
    }

    public static Result Run(IEnumerable<string> args, byte[]? stdin = null)
    {
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        var stdoutTask = Task.Run(() =>
        {
            using var buffer = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(buffer);
            return buffer.ToArray();
        });
        if (stdin is not null) process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        process.WaitForExit();
        return new Result(process.ExitCode, stdoutTask.Result, stderrTask.Result);
    }

    public static byte[] Ok(IEnumerable<string> args, byte[]? stdin = null)
    {
        var args_ = args.ToList();
        var result = Run(args_, stdin);
        if (result.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"openssl {string.Join(' ', args_)} failed ({result.ExitCode}): {result.Stderr}");
        }
        return result.Stdout;
    }

    /// <summary>The -pkeyopt arguments for a padding: OAEP with the same hash for MGF1, or PKCS#1 v1.5.</summary>
    public static string[] PaddingOptions(string padding) => padding switch
    {
        "sha1" or "sha224" or "sha256" or "sha384" or "sha512" =>
            ["-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", $"rsa_oaep_md:{padding}", "-pkeyopt", $"rsa_mgf1_md:{padding}"],
        "pkcs1" => ["-pkeyopt", "rsa_padding_mode:pkcs1"],
        _ => throw new ArgumentException(padding),
    };

    /// <summary>openssl pkeyutl -decrypt with the provider's private key.</summary>
    public static byte[] Decrypt(string privateKeyPem, byte[] ciphertext, string padding) =>
        Ok(["pkeyutl", "-decrypt", "-inkey", privateKeyPem, .. PaddingOptions(padding)], ciphertext);

    public static Result TryDecrypt(string privateKeyPem, byte[] ciphertext, string padding) =>
        Run(["pkeyutl", "-decrypt", "-inkey", privateKeyPem, .. PaddingOptions(padding)], ciphertext);

    /// <summary>openssl enc -d -id-aes256-wrap-pad -iv A65959A6 (RFC 5649 unwrap).</summary>
    public static byte[] UnwrapKwp(byte[] kek, byte[] wrapped) =>
        Ok(["enc", "-d", "-id-aes256-wrap-pad", "-K", Convert.ToHexString(kek), "-iv", "A65959A6"], wrapped);

    /// <summary>openssl pkey -text of a DER private key: the parse the provider would do.</summary>
    public static string DescribePrivateKey(byte[] der) =>
        Encoding.UTF8.GetString(Ok(["pkey", "-inform", "DER", "-noout", "-text"], der));

    /// <summary>The SubjectPublicKeyInfo (DER) openssl derives from a DER private key.</summary>
    public static byte[] PublicKeyOf(byte[] privateDer) =>
        Ok(["pkey", "-inform", "DER", "-pubout", "-outform", "DER"], privateDer);

    public static string Sha256Base64(byte[] data) =>
        Encoding.ASCII.GetString(Ok(["base64", "-A"], Ok(["dgst", "-sha256", "-binary"], data))).Trim();

    /// <summary>The AES key check value as openssl computes it: AES-ECB (of the key's size) of a zero block, first 3 bytes.</summary>
    public static byte[] AesCheckValue(byte[] key) =>
        Ok(["enc", $"-aes-{key.Length * 8}-ecb", "-nopad", "-K", Convert.ToHexString(key)], new byte[16])[..3];

    /// <summary>
    /// The HMAC key check value the README defines, as openssl computes it: HMAC with the key's own hash over 16 zero
    /// bytes, first 3 bytes. The key is a test key, so hexkey on openssl's command line is fine here.
    /// </summary>
    public static byte[] HmacCheckValue(string keyType, byte[] key) =>
        Ok(["dgst", "-" + keyType["HMAC-".Length..].ToLowerInvariant(), "-mac", "HMAC", "-macopt", "hexkey:" + Convert.ToHexString(key), "-binary"], new byte[16])[..3];
}
