using CloudIntegration.Keys;
using CloudIntegration.KeyStores.Pkcs11;
using CloudIntegration.Native.Pkcs11;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>
/// Older tokens (openCryptoki 3.8.1, Cryptoki 2.20) refuse a template carrying an attribute they do not know, such as
/// CKA_WRAP_WITH_TRUSTED. No token in CI is that old, so the rule is checked on the templates themselves: an attribute
/// whose default the specification fixes is never sent with that default.
/// </summary>
public sealed class Pkcs11TemplateTests
{
    /// <summary>The templates of the keys an export generates (session objects say CKA_TOKEN=FALSE on purpose, and stay out).</summary>
    public static TheoryData<string> Templates() => new() { "aes", "rsa-private", "rsa-public", "ec-private", "ec-public" };

    static AttributeTemplate Build(string which)
    {
        var name = KeyName.Parse("k1");
        var id = KeyTemplates.NewId(DateTimeOffset.UnixEpoch);
        return which switch
        {
            "aes" => KeyTemplates.AesKey(name, id, 32),
            "rsa-private" => KeyTemplates.PrivateKey(CKK.RSA, name, id),
            "rsa-public" => KeyTemplates.RsaPublic(name, id, 2048),
            "ec-private" => KeyTemplates.PrivateKey(CKK.EC, name, id),
            "ec-public" => KeyTemplates.EcPublic(name, id, "1.2.840.10045.3.1.7"),
            _ => throw new ArgumentOutOfRangeException(nameof(which), which, "unknown template"),
        };
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void A_template_sends_no_attribute_with_its_specified_default(string which)
    {
        using var template = Build(which);
        foreach (var (type, value) in template.Items)
        {
            Assert.NotEqual(CKA.WRAP_WITH_TRUSTED, type);
            if (KeyTemplates.SpecifiedDefaults.TryGetValue(type, out var standard))
            {
                Assert.False(value is [var b] && (b != 0) == standard, $"{which}: {CKA.Name(type)} is sent with its default value");
            }
        }
        Assert.Equal(template.Items.Count, template.Items.Select(i => i.Type).Distinct().Count());
    }

    [Fact]
    public void A_refused_template_names_the_attributes_a_token_may_not_know()
    {
        var optional = KeyTemplates.Optional(KeyFamily.Ec).Select(CKA.Name).ToList();
        Assert.Contains("CKA_SIGN", optional);
        Assert.Contains("CKA_EXTRACTABLE", optional);
        Assert.DoesNotContain("CKA_CLASS", optional);
        Assert.DoesNotContain("CKA_WRAP_WITH_TRUSTED", optional);
    }
}
