using CloudIntegration.Native.Pkcs11;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>
/// The binding's messages and the library loading errors that need no token (the structures' layouts: Pkcs11LayoutTests).
/// </summary>
public sealed class Pkcs11BindingTests
{
    [Fact]
    public void Errors_name_the_function_and_the_ckr_constant()
    {
        Assert.Equal("C_WrapKey failed: CKR_MECHANISM_PARAM_INVALID", new Pkcs11Exception("C_WrapKey", CKR.MECHANISM_PARAM_INVALID).Message);
        Assert.Equal("CKR_PIN_INCORRECT", CKR.Name(0xA0));
        Assert.Equal("CKR_VENDOR_DEFINED+0x1F", CKR.Name(0x8000001F));
        Assert.Equal("CKM_RSA_PKCS_OAEP (hashAlg=CKM_SHA256, mgf=CKG_MGF1_SHA256, empty label)",
                     Mechanism.Oaep(CKM.SHA256, CKG.MGF1_SHA256).Describe());
    }

    [Fact]
    public void A_library_path_that_does_not_exist_is_a_clear_error()
    {
        using var scratch = new Scratch();
        var result = Tool.In(scratch).Run("--pkcs11-library", "/nonexistent/libvendor-pkcs11.so", "aws", "k1", ProviderKeyPair.Get(2048).PublicDer, "RSAES_OAEP_SHA_1");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: PKCS#11 library /nonexistent/libvendor-pkcs11.so does not exist (no such file); give the vendor's PKCS#11 module", result.Stderr);
    }

    public static TheoryData<string, string> NotPkcs11Libraries() => new()
    {
        { "shared library without C_GetFunctionList", SharedLibraries.Find("libz.so.1") ?? "libz.so.1 (not found in the system library directories)" },
        { "text file", "{text}" },
    };

    [Theory]
    [MemberData(nameof(NotPkcs11Libraries))]
    public void A_file_that_is_not_a_pkcs11_library_is_a_clear_error(string why, string library)
    {
        using var scratch = new Scratch();
        if (library == "{text}") library = scratch.Write("libnot-a-library.so", string.Concat(Enumerable.Repeat("this is a text file, not a PKCS#11 module\n", 8)));
        Assert.True(File.Exists(library), $"{why}: {library} is missing on this machine");
        var tool = Tool.In(scratch);
        tool.Environment["CLOUD_INTEGRATION_PKCS11_LIBRARY"] = library;
        var result = tool.Run("aws", "k1", ProviderKeyPair.Get(2048).PublicDer, "RSAES_OAEP_SHA_1");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(library.EndsWith(".so.1") ? $"error: {library} is not a PKCS#11 library: it does not export C_GetFunctionList"
                                                  : $"error: PKCS#11 library {library} cannot be loaded: invalid ELF header", result.Stderr);
        Assert.Empty(Directory.GetFiles(tool.WorkingDirectory));
    }

    [Fact]
    public void A_pin_file_without_a_pkcs11_library_is_a_usage_error()
    {
        using var scratch = new Scratch();
        var result = Tool.In(scratch).Run("--pin-file", scratch.Write("pin", "1234\n"), "aws", "k1", ProviderKeyPair.Get(2048).PublicDer, "RSAES_OAEP_SHA_1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: --pin-file is only used with a PKCS#11 library", result.Stderr);
    }

    [Fact]
    public void Info_describes_the_embedded_world()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var before = tool.Run("info");
        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Contains($"world directory: {tool.WorldDirectory}", before.Stdout);
        Assert.Contains("module 1: embedded Security World, not created yet", before.Stdout);
        Assert.False(Directory.Exists(tool.WorldDirectory), "info must not create the world");

        Assert.Equal(0, tool.Run("aws", "k1", ProviderKeyPair.Get(2048).PublicDer, "RSAES_OAEP_SHA_1").ExitCode);
        var after = tool.Run("info");
        Assert.Contains("module 1: embedded Security World, 1 key", after.Stdout);
        foreach (var mechanism in new[] { "CKM_RSA_PKCS_OAEP", "CKM_RSA_PKCS ", "CKM_RSA_AES_KEY_WRAP", "CKM_AES_KEY_WRAP_PAD", "CKM_AES_KEY_GEN",
                                          "CKM_RSA_PKCS_KEY_PAIR_GEN", "CKM_EC_KEY_PAIR_GEN", "CKM_SHA256" })
        {
            Assert.Matches($"(?m)^  {mechanism.Trim()} +supported \\(software\\)", after.Stdout);
        }
        Assert.Contains("info", tool.Run("-h").Stdout);
        Assert.DoesNotContain(Providers.ProviderRegistry.For(Providers.ProgramFlavor.CloudIntegrationTool).All, p => p.Name == "info");
    }
}
