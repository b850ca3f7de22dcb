using CloudIntegration.Tests.Support;
using CloudIntegration.Wrapping;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>
/// A wrapping key that does not parse is blamed on the file only when the platform's RSA works (the probe with a
/// known-good key). Where it does not (Wine: scripts/wine-smoke.sh expects that error), the message says so instead.
/// </summary>
public sealed class PlatformCryptographyTests
{
    [Fact]
    public void Rsa_works_here_so_a_malformed_rsa_key_is_the_files_fault()
    {
        Assert.Null(PlatformCryptography.RsaFailure());
        using var scratch = new Scratch();
        // A SEQUENCE holding one INTEGER: DER, but not an RSAPublicKey (which needs modulus and exponent).
        var key = scratch.Write("wrap.pem", "-----BEGIN RSA PUBLIC KEY-----\nMAMCAQE=\n-----END RSA PUBLIC KEY-----\n");
        var tool = Tool.In(scratch);
        var result = tool.Run("aws", "k1", key, "RSAES_OAEP_SHA_256");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error: wrapping key file {key}: the RSA public key inside it is malformed", result.Stderr);
        Assert.DoesNotContain("platform", result.Stderr);
    }
}
