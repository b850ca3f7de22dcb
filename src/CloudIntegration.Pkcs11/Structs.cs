using System.Runtime.InteropServices;
using System.Text;

namespace CloudIntegration.Native.Pkcs11;

// The C structures the tool passes to or reads from a PKCS#11 library, described once in pkcs11t.h's order; CkLayout
// (Layout.cs) places them as Unix (CK_ULONG = unsigned long, natural alignment) or Windows (CK_ULONG 4 bytes, pack 1)
// lays them out. Code builds them in native buffers of CkLayout.SizeOf bytes and touches fields only through the
// layout, so one code path serves both platforms. To add a structure, follow the pattern below (see CkStruct).

[StructLayout(LayoutKind.Sequential)]
public struct CK_VERSION
{
    public byte major;
    public byte minor;

    internal static CK_VERSION From(ReadOnlySpan<byte> field) => new() { major = field[0], minor = field[1] };

    public override readonly string ToString() => $"{major}.{minor}";
}

public static class CK_INFO
{
    public static readonly CkField cryptokiVersion = CkField.Version(), manufacturerID = CkField.Bytes(32),
                                   flags = CkField.Ulong(), libraryDescription = CkField.Bytes(32),
                                   libraryVersion = CkField.Version();
    public static readonly CkStruct Struct = new(nameof(CK_INFO), cryptokiVersion, manufacturerID, flags, libraryDescription, libraryVersion);
}

public static class CK_SLOT_INFO
{
    public static readonly CkField slotDescription = CkField.Bytes(64), manufacturerID = CkField.Bytes(32), flags = CkField.Ulong(),
                                   hardwareVersion = CkField.Version(), firmwareVersion = CkField.Version();
    public static readonly CkStruct Struct = new(nameof(CK_SLOT_INFO), slotDescription, manufacturerID, flags, hardwareVersion, firmwareVersion);
}

public static class CK_TOKEN_INFO
{
    public static readonly CkField label = CkField.Bytes(32), manufacturerID = CkField.Bytes(32), model = CkField.Bytes(16),
                                   serialNumber = CkField.Bytes(16), flags = CkField.Ulong(),
                                   ulMaxSessionCount = CkField.Ulong(), ulSessionCount = CkField.Ulong(),
                                   ulMaxRwSessionCount = CkField.Ulong(), ulRwSessionCount = CkField.Ulong(),
                                   ulMaxPinLen = CkField.Ulong(), ulMinPinLen = CkField.Ulong(),
                                   ulTotalPublicMemory = CkField.Ulong(), ulFreePublicMemory = CkField.Ulong(),
                                   ulTotalPrivateMemory = CkField.Ulong(), ulFreePrivateMemory = CkField.Ulong(),
                                   hardwareVersion = CkField.Version(), firmwareVersion = CkField.Version(),
                                   utcTime = CkField.Bytes(16);
    public static readonly CkStruct Struct = new(nameof(CK_TOKEN_INFO), label, manufacturerID, model, serialNumber, flags,
        ulMaxSessionCount, ulSessionCount, ulMaxRwSessionCount, ulRwSessionCount, ulMaxPinLen, ulMinPinLen,
        ulTotalPublicMemory, ulFreePublicMemory, ulTotalPrivateMemory, ulFreePrivateMemory, hardwareVersion, firmwareVersion, utcTime);
}

public static class CK_MECHANISM_INFO
{
    public static readonly CkField ulMinKeySize = CkField.Ulong(), ulMaxKeySize = CkField.Ulong(), flags = CkField.Ulong();
    public static readonly CkStruct Struct = new(nameof(CK_MECHANISM_INFO), ulMinKeySize, ulMaxKeySize, flags);
}

public static class CK_ATTRIBUTE
{
    public static readonly CkField type = CkField.Ulong(), pValue = CkField.Pointer(), ulValueLen = CkField.Ulong();
    public static readonly CkStruct Struct = new(nameof(CK_ATTRIBUTE), type, pValue, ulValueLen);
}

public static class CK_MECHANISM
{
    public static readonly CkField mechanism = CkField.Ulong(), pParameter = CkField.Pointer(), ulParameterLen = CkField.Ulong();
    public static readonly CkStruct Struct = new(nameof(CK_MECHANISM), mechanism, pParameter, ulParameterLen);
}

public static class CK_RSA_PKCS_OAEP_PARAMS
{
    public static readonly CkField hashAlg = CkField.Ulong(), mgf = CkField.Ulong(), source = CkField.Ulong(),
                                   pSourceData = CkField.Pointer(), ulSourceDataLen = CkField.Ulong();
    public static readonly CkStruct Struct = new(nameof(CK_RSA_PKCS_OAEP_PARAMS), hashAlg, mgf, source, pSourceData, ulSourceDataLen);
}

public static class CK_RSA_AES_KEY_WRAP_PARAMS
{
    public static readonly CkField ulAESKeyBits = CkField.Ulong(), pOAEPParams = CkField.Pointer();
    public static readonly CkStruct Struct = new(nameof(CK_RSA_AES_KEY_WRAP_PARAMS), ulAESKeyBits, pOAEPParams);
}

public static class CK_C_INITIALIZE_ARGS
{
    public static readonly CkField CreateMutex = CkField.Pointer(), DestroyMutex = CkField.Pointer(), LockMutex = CkField.Pointer(),
                                   UnlockMutex = CkField.Pointer(), flags = CkField.Ulong(), pReserved = CkField.Pointer();
    public static readonly CkStruct Struct = new(nameof(CK_C_INITIALIZE_ARGS), CreateMutex, DestroyMutex, LockMutex, UnlockMutex, flags, pReserved);
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
    public static string Field(ReadOnlySpan<byte> field) => Encoding.UTF8.GetString(field).TrimEnd(' ', '\0');
}
