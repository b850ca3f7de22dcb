using System.Runtime.InteropServices;
using System.Text;

namespace CloudIntegration.Native.Pkcs11;

// The C structures the tool passes to or reads from a PKCS#11 library, laid out as pkcs11t.h does on Linux and macOS:
// CK_ULONG is the C `unsigned long`, 8 bytes on 64-bit Unix (LP64), hence nuint; structures use natural alignment.
//
// Windows differs on both counts: `unsigned long` is 4 bytes there (LLP64) and the Cryptoki headers wrap everything in
// #pragma pack(push, cryptoki, 1). A Windows port would need CK_ULONG = uint and Pack = 1 on every struct below; the
// sizes asserted in the tests (e.g. CK_ATTRIBUTE = 24, CK_RSA_PKCS_OAEP_PARAMS = 40) are the 64-bit Unix ones, and a
// wrong layout shows up as CKR_ARGUMENTS_BAD or CKR_ATTRIBUTE_VALUE_INVALID rather than as a crash, so check them first.

[StructLayout(LayoutKind.Sequential)]
public struct CK_VERSION
{
    public byte major;
    public byte minor;

    public override readonly string ToString() => $"{major}.{minor}";
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct CK_INFO
{
    public CK_VERSION cryptokiVersion;
    public fixed byte manufacturerID[32];
    public nuint flags;
    public fixed byte libraryDescription[32];
    public CK_VERSION libraryVersion;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct CK_SLOT_INFO
{
    public fixed byte slotDescription[64];
    public fixed byte manufacturerID[32];
    public nuint flags;
    public CK_VERSION hardwareVersion;
    public CK_VERSION firmwareVersion;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct CK_TOKEN_INFO
{
    public fixed byte label[32];
    public fixed byte manufacturerID[32];
    public fixed byte model[16];
    public fixed byte serialNumber[16];
    public nuint flags;
    public nuint ulMaxSessionCount;
    public nuint ulSessionCount;
    public nuint ulMaxRwSessionCount;
    public nuint ulRwSessionCount;
    public nuint ulMaxPinLen;
    public nuint ulMinPinLen;
    public nuint ulTotalPublicMemory;
    public nuint ulFreePublicMemory;
    public nuint ulTotalPrivateMemory;
    public nuint ulFreePrivateMemory;
    public CK_VERSION hardwareVersion;
    public CK_VERSION firmwareVersion;
    public fixed byte utcTime[16];
}

[StructLayout(LayoutKind.Sequential)]
public struct CK_MECHANISM_INFO
{
    public nuint ulMinKeySize;
    public nuint ulMaxKeySize;
    public nuint flags;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct CK_ATTRIBUTE
{
    public nuint type;
    public void* pValue;
    public nuint ulValueLen;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct CK_MECHANISM
{
    public nuint mechanism;
    public void* pParameter;
    public nuint ulParameterLen;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct CK_RSA_PKCS_OAEP_PARAMS
{
    public nuint hashAlg;
    public nuint mgf;
    public nuint source;
    public void* pSourceData;
    public nuint ulSourceDataLen;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct CK_RSA_AES_KEY_WRAP_PARAMS
{
    public nuint ulAESKeyBits;
    public CK_RSA_PKCS_OAEP_PARAMS* pOAEPParams;
}

[StructLayout(LayoutKind.Sequential)]
public unsafe struct CK_C_INITIALIZE_ARGS
{
    public void* CreateMutex;
    public void* DestroyMutex;
    public void* LockMutex;
    public void* UnlockMutex;
    public nuint flags;
    public void* pReserved;
}

/// <summary>The library as C_GetInfo describes it.</summary>
public sealed record LibraryInfo(string CryptokiVersion, string Manufacturer, string Description, CK_VERSION LibraryVersion);

/// <summary>A slot as C_GetSlotInfo describes it.</summary>
public sealed record SlotInfo(nuint Id, string Description, string Manufacturer, nuint Flags);

/// <summary>A token as C_GetTokenInfo describes it; the strings are the blank-padded fields, trimmed.</summary>
public sealed record TokenInfo(nuint SlotId, string Label, string Manufacturer, string Model, string Serial, nuint Flags,
                               CK_VERSION HardwareVersion, CK_VERSION FirmwareVersion)
{
    public bool IsInitialized => (Flags & CKF.TOKEN_INITIALIZED) != 0;
    public bool LoginRequired => (Flags & CKF.LOGIN_REQUIRED) != 0;
    public bool IsWriteProtected => (Flags & CKF.WRITE_PROTECTED) != 0;
    public bool HasPinPad => (Flags & CKF.PROTECTED_AUTHENTICATION_PATH) != 0;
}

/// <summary>What C_GetMechanismInfo says about one mechanism.</summary>
public sealed record MechanismInfo(nuint Mechanism, nuint MinKeySize, nuint MaxKeySize, nuint Flags)
{
    public bool Can(nuint flag) => (Flags & flag) != 0;
}

static class Text
{
    /// <summary>Cryptoki text fields are UTF-8, padded with blanks and never NUL-terminated (some libraries pad with NULs).</summary>
    public static unsafe string Field(byte* field, int length) =>
        Encoding.UTF8.GetString(new ReadOnlySpan<byte>(field, length)).TrimEnd(' ', '\0');
}
