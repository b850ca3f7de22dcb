using System.Security.Cryptography;
using CloudIntegration.Native.Pkcs11;
using CloudIntegration.Tests.Support;
using CloudIntegration.Wrapping;
using Xunit;

namespace CloudIntegration.Tests.Cases;

/// <summary>
/// Each padding is judged by what it says about itself, against openssl: the largest message it claims to carry under
/// a modulus is encrypted as the tool encrypts it (.NET, or libcrypto for SHA-224) and decrypted by openssl with its
/// hash; one byte more is refused. Driven by the registry, so a padding added later is tested without a new test.
/// </summary>
public sealed class PaddingTests
{
    public static TheoryData<int> Paddings() => [.. Enumerable.Range(0, RsaPadding.All.Count)];

    [Theory]
    [MemberData(nameof(Paddings))]
    public void The_largest_message_a_padding_claims_to_carry_decrypts_with_openssl(int index)
    {
        var padding = RsaPadding.All[index];
        var pair = ProviderKeyPair.Get(2048);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(pair.PublicPem));
        var message = RandomNumberGenerator.GetBytes(padding.MaxMessageBytes(pair.ModulusBytes));

        var ciphertext = padding.Encrypt(rsa, message);

        Assert.Equal(message, OpenSsl.Decrypt(pair.PrivatePem, ciphertext, padding.Oaep?.ShortName ?? "pkcs1"));
        Assert.ThrowsAny<CryptographicException>(() => padding.Encrypt(rsa, new byte[message.Length + 1]));
    }

    /// <summary>The wrapping layer keeps the specification's numbers so as not to depend on the binding; they must agree.</summary>
    [Fact]
    public void The_pkcs11_numbers_each_hash_carries_are_the_bindings()
    {
        Assert.Equal((ulong)CKM.SHA_1, OaepHash.Sha1.Pkcs11Mechanism);
        Assert.Equal((ulong)CKG.MGF1_SHA1, OaepHash.Sha1.Pkcs11Mgf);
        Assert.Equal((ulong)CKM.SHA224, OaepHash.Sha224.Pkcs11Mechanism);
        Assert.Equal((ulong)CKG.MGF1_SHA224, OaepHash.Sha224.Pkcs11Mgf);
        Assert.Equal((ulong)CKM.SHA256, OaepHash.Sha256.Pkcs11Mechanism);
        Assert.Equal((ulong)CKG.MGF1_SHA256, OaepHash.Sha256.Pkcs11Mgf);
    }
}
