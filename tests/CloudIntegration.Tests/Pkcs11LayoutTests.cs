using System.Runtime.InteropServices;
using CloudIntegration.Native.Pkcs11;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>
/// Both Cryptoki layouts of every structure the binding uses, against sizes and offsets measured by C compilers with
/// p11-kit's pkcs11.h (scripts/measure-pkcs11-layout.sh): gcc on x86-64 Linux for Unix, and mingw-w64 gcc with the
/// header under #pragma pack(push, cryptoki, 1), run under Wine, for Win64. A wrong layout does not crash: the token
/// answers CKR_ARGUMENTS_BAD or CKR_ATTRIBUTE_VALUE_INVALID, which is why they are pinned here. Windows cannot be run
/// here, so its layout is tested on Linux through the same CkLayout the binding picks at run time.
/// </summary>
public sealed unsafe class Pkcs11LayoutTests
{
    /// <summary>Structure, 64-bit Unix size, Win64 size.</summary>
    public static TheoryData<string, int, int> Sizes() => new()
    {
        { nameof(CK_ATTRIBUTE), 24, 16 },
        { nameof(CK_MECHANISM), 24, 16 },
        { nameof(CK_RSA_PKCS_OAEP_PARAMS), 40, 24 },
        { nameof(CK_RSA_AES_KEY_WRAP_PARAMS), 16, 12 },
        { nameof(CK_MECHANISM_INFO), 24, 12 },
        { nameof(CK_C_INITIALIZE_ARGS), 48, 44 },
        { nameof(CK_INFO), 88, 72 },
        { nameof(CK_SLOT_INFO), 112, 104 },
        { nameof(CK_TOKEN_INFO), 208, 160 },
        { nameof(CK_FUNCTION_LIST), 552, 546 },
    };

    /// <summary>Field, 64-bit Unix offset, Win64 offset.</summary>
    public static TheoryData<string, int, int> Offsets() => new()
    {
        { "CK_ATTRIBUTE.pValue", 8, 4 },
        { "CK_ATTRIBUTE.ulValueLen", 16, 12 },
        { "CK_MECHANISM.ulParameterLen", 16, 12 },
        { "CK_RSA_PKCS_OAEP_PARAMS.pSourceData", 24, 12 },
        { "CK_RSA_PKCS_OAEP_PARAMS.ulSourceDataLen", 32, 20 },
        { "CK_RSA_AES_KEY_WRAP_PARAMS.pOAEPParams", 8, 4 },
        { "CK_MECHANISM_INFO.flags", 16, 8 },
        { "CK_C_INITIALIZE_ARGS.flags", 32, 32 },
        { "CK_C_INITIALIZE_ARGS.pReserved", 40, 36 },
        { "CK_INFO.flags", 40, 34 },
        { "CK_INFO.libraryDescription", 48, 38 },
        { "CK_INFO.libraryVersion", 80, 70 },
        { "CK_SLOT_INFO.flags", 96, 96 },
        { "CK_SLOT_INFO.firmwareVersion", 106, 102 },
        { "CK_TOKEN_INFO.flags", 96, 96 },
        { "CK_TOKEN_INFO.ulMaxPinLen", 136, 116 },
        { "CK_TOKEN_INFO.hardwareVersion", 184, 140 },
        { "CK_TOKEN_INFO.utcTime", 188, 144 },
        { "CK_FUNCTION_LIST.C_Initialize", 8, 2 },
        { "CK_FUNCTION_LIST.C_WrapKey", 488, 482 },
        { "CK_FUNCTION_LIST.C_WaitForSlotEvent", 544, 538 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Structures_have_the_unix_and_the_windows_size(string structure, int unix, int windows)
    {
        Assert.Equal(8, sizeof(nuint));
        Assert.Equal(unix, CkLayout.Unix.SizeOf(Struct(structure)));
        Assert.Equal(windows, CkLayout.Windows.SizeOf(Struct(structure)));
    }

    [Theory]
    [MemberData(nameof(Offsets))]
    public void Fields_have_the_unix_and_the_windows_offset(string field, int unix, int windows)
    {
        Assert.Equal(unix, CkLayout.Unix.OffsetOf(Field(field)));
        Assert.Equal(windows, CkLayout.Windows.OffsetOf(Field(field)));
    }

    [Fact]
    public void A_ck_ulong_is_8_bytes_on_unix_and_4_on_windows()
    {
        Assert.Equal(8, CkLayout.Unix.UlongSize);
        Assert.Equal(4, CkLayout.Windows.UlongSize);
        Assert.Equal(uint.MaxValue, CkLayout.Windows.UlongMax);
        Assert.Same(OperatingSystem.IsWindows() ? CkLayout.Windows : CkLayout.Unix, CkLayout.Current);

        var bytes = stackalloc byte[8];
        CkLayout.Windows.WriteUlong(bytes, (nuint)uint.MaxValue);
        Assert.Equal(0xFFFFFFFFu, CkLayout.Unix.ReadUlong(bytes));
        Assert.Throws<OverflowException>(() => { var b = stackalloc byte[8]; CkLayout.Windows.WriteUlong(b, unchecked((nuint)uint.MaxValue + 1)); });
    }

    [Fact]
    public void The_managed_function_table_is_filled_from_either_layout()
    {
        // The table the binding calls through has the Unix layout itself; a Windows list is copied field by field.
        Assert.Equal(CkLayout.Unix.SizeOf(CK_FUNCTION_LIST.Native), sizeof(CK_FUNCTION_LIST));
        foreach (var layout in new[] { CkLayout.Unix, CkLayout.Windows })
        {
            var native = new byte[layout.SizeOf(CK_FUNCTION_LIST.Native)];
            fixed (byte* list = native)
            {
                native[0] = 2;
                native[1] = 40;
                for (var i = 1; i < CK_FUNCTION_LIST.Native.Fields.Count; i++) layout.Write(list, CK_FUNCTION_LIST.Native.Fields[i], (void*)(0x1000 + i));
                var table = CK_FUNCTION_LIST.CopyFrom(list, layout);
                Assert.Equal("2.40", table.version.ToString());
                Assert.Equal(0x1001, (nint)table.C_Initialize);
                Assert.Equal(0x1000 + 61, (nint)table.C_WrapKey);
                Assert.Equal(0x1000 + 68, (nint)table.C_WaitForSlotEvent);
            }
        }
    }

    [Fact]
    public void A_windows_mechanism_points_at_packed_parameters()
    {
        var layout = CkLayout.Windows;
        var buffer = stackalloc byte[Mechanism.NativeSize(layout)];
        var mechanism = Mechanism.RsaAesKeyWrap(256, CKM.SHA256, CKG.MGF1_SHA256).ToNative(layout, buffer);
        Assert.Equal(CKM.RSA_AES_KEY_WRAP, layout.Read(mechanism, CK_MECHANISM.mechanism));
        Assert.Equal(12u, (uint)layout.Read(mechanism, CK_MECHANISM.ulParameterLen));
        var wrap = (byte*)layout.ReadPointer(mechanism, CK_MECHANISM.pParameter);
        Assert.Equal(256u, (uint)layout.Read(wrap, CK_RSA_AES_KEY_WRAP_PARAMS.ulAESKeyBits));
        var oaep = (byte*)layout.ReadPointer(wrap, CK_RSA_AES_KEY_WRAP_PARAMS.pOAEPParams);
        Assert.Equal(CKM.SHA256, layout.Read(oaep, CK_RSA_PKCS_OAEP_PARAMS.hashAlg));
        Assert.Equal(CKG.MGF1_SHA256, layout.Read(oaep, CK_RSA_PKCS_OAEP_PARAMS.mgf));
        Assert.Equal(CKZ.DATA_SPECIFIED, layout.Read(oaep, CK_RSA_PKCS_OAEP_PARAMS.source));
        // Packed: the hash is the first 4 bytes of the OAEP structure, the MGF the next 4.
        Assert.Equal((uint)CKG.MGF1_SHA256, *(uint*)(oaep + 4));
    }

    static readonly Dictionary<string, CkStruct> Structs = new[]
    {
        CK_ATTRIBUTE.Struct, CK_MECHANISM.Struct, CK_RSA_PKCS_OAEP_PARAMS.Struct, CK_RSA_AES_KEY_WRAP_PARAMS.Struct,
        CK_MECHANISM_INFO.Struct, CK_C_INITIALIZE_ARGS.Struct, CK_INFO.Struct, CK_SLOT_INFO.Struct, CK_TOKEN_INFO.Struct,
        CK_FUNCTION_LIST.Native,
    }.ToDictionary(s => s.Name);

    static CkStruct Struct(string name) => Structs[name];

    /// <summary>A field by its C name, found through the static field of the same name (the function list by index).</summary>
    static CkField Field(string name)
    {
        var (structure, member) = (name[..name.IndexOf('.')], name[(name.IndexOf('.') + 1)..]);
        if (structure == nameof(CK_FUNCTION_LIST))
        {
            // The managed table holds the pointers in the standard's order after the version, pointer-aligned.
            var index = ((int)Marshal.OffsetOf<CK_FUNCTION_LIST>(member) - sizeof(nint)) / sizeof(nint);
            return CK_FUNCTION_LIST.Native.Fields[1 + index];
        }
        var type = typeof(CK_ATTRIBUTE).Assembly.GetType($"CloudIntegration.Native.Pkcs11.{structure}")!;
        return (CkField)type.GetField(member)!.GetValue(null)!;
    }
}
