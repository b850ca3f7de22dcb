using System.Runtime.InteropServices;

namespace CloudIntegration.Native.Pkcs11;

/// <summary>
/// The library's functions, copied at load time out of its CK_FUNCTION_LIST (PKCS#11 v2.40: a CK_VERSION, then 68
/// function pointers in the standard's order; <see cref="Native"/> places them: 552 bytes on 64-bit Unix with C_WrapKey
/// at 488, 546 bytes on Win64 where pack 1 puts C_Initialize at offset 2). The tool calls only a few; the others are
/// kept as untyped pointers so every field keeps its index.
/// <para>Calling convention and CK_ULONG: Cryptoki libraries export C (cdecl) functions. A CK_ULONG passed by value is
/// given as nuint: it travels in a register or a pointer-sized stack slot either way, and a Windows callee reads the low
/// 4 bytes. CK_RV is read as uint: on Windows the upper half of the return register is undefined, and on Unix every
/// return value the standard defines, vendor-defined ones (from 0x80000000) included, fits in 32 bits. A single
/// CK_ULONG the library writes through a pointer (a count, a handle, a length) goes into a zeroed nuint, whose low 4
/// bytes are the CK_ULONG on little-endian Windows; arrays of CK_ULONG are read through <see cref="CkLayout"/>.</para>
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct CK_FUNCTION_LIST
{
    /// <summary>The native structure: version, then the function pointers in the order of the fields below.</summary>
    public static readonly CkStruct Native = new(nameof(CK_FUNCTION_LIST), [CkField.Version(), ..Enumerable.Range(0, 68).Select(_ => CkField.Pointer())]);

    public CK_VERSION version;
    public delegate* unmanaged[Cdecl]<byte*, uint> C_Initialize;
    public delegate* unmanaged[Cdecl]<void*, uint> C_Finalize;
    public delegate* unmanaged[Cdecl]<byte*, uint> C_GetInfo;
    public void* C_GetFunctionList;
    public delegate* unmanaged[Cdecl]<byte, byte*, nuint*, uint> C_GetSlotList;
    public delegate* unmanaged[Cdecl]<nuint, byte*, uint> C_GetSlotInfo;
    public delegate* unmanaged[Cdecl]<nuint, byte*, uint> C_GetTokenInfo;
    public delegate* unmanaged[Cdecl]<nuint, byte*, nuint*, uint> C_GetMechanismList;
    public delegate* unmanaged[Cdecl]<nuint, nuint, byte*, uint> C_GetMechanismInfo;
    public void* C_InitToken;
    public void* C_InitPIN;
    public void* C_SetPIN;
    public delegate* unmanaged[Cdecl]<nuint, nuint, void*, void*, nuint*, uint> C_OpenSession;
    public delegate* unmanaged[Cdecl]<nuint, uint> C_CloseSession;
    public void* C_CloseAllSessions;
    public void* C_GetSessionInfo;
    public void* C_GetOperationState;
    public void* C_SetOperationState;
    public delegate* unmanaged[Cdecl]<nuint, nuint, byte*, nuint, uint> C_Login;
    public delegate* unmanaged[Cdecl]<nuint, uint> C_Logout;
    public delegate* unmanaged[Cdecl]<nuint, byte*, nuint, nuint*, uint> C_CreateObject;
    public void* C_CopyObject;
    public delegate* unmanaged[Cdecl]<nuint, nuint, uint> C_DestroyObject;
    public void* C_GetObjectSize;
    public delegate* unmanaged[Cdecl]<nuint, nuint, byte*, nuint, uint> C_GetAttributeValue;
    public delegate* unmanaged[Cdecl]<nuint, nuint, byte*, nuint, uint> C_SetAttributeValue;
    public delegate* unmanaged[Cdecl]<nuint, byte*, nuint, uint> C_FindObjectsInit;
    public delegate* unmanaged[Cdecl]<nuint, byte*, nuint, nuint*, uint> C_FindObjects;
    public delegate* unmanaged[Cdecl]<nuint, uint> C_FindObjectsFinal;
    public void* C_EncryptInit;
    public void* C_Encrypt;
    public void* C_EncryptUpdate;
    public void* C_EncryptFinal;
    public void* C_DecryptInit;
    public void* C_Decrypt;
    public void* C_DecryptUpdate;
    public void* C_DecryptFinal;
    public delegate* unmanaged[Cdecl]<nuint, byte*, uint> C_DigestInit;
    public void* C_Digest;
    public void* C_DigestUpdate;
    public delegate* unmanaged[Cdecl]<nuint, nuint, uint> C_DigestKey;
    public delegate* unmanaged[Cdecl]<nuint, byte*, nuint*, uint> C_DigestFinal;
    public void* C_SignInit;
    public void* C_Sign;
    public void* C_SignUpdate;
    public void* C_SignFinal;
    public void* C_SignRecoverInit;
    public void* C_SignRecover;
    public void* C_VerifyInit;
    public void* C_Verify;
    public void* C_VerifyUpdate;
    public void* C_VerifyFinal;
    public void* C_VerifyRecoverInit;
    public void* C_VerifyRecover;
    public void* C_DigestEncryptUpdate;
    public void* C_DecryptDigestUpdate;
    public void* C_SignEncryptUpdate;
    public void* C_DecryptVerifyUpdate;
    public delegate* unmanaged[Cdecl]<nuint, byte*, byte*, nuint, nuint*, uint> C_GenerateKey;
    public delegate* unmanaged[Cdecl]<nuint, byte*, byte*, nuint, byte*, nuint, nuint*, nuint*, uint> C_GenerateKeyPair;
    public delegate* unmanaged[Cdecl]<nuint, byte*, nuint, nuint, byte*, nuint*, uint> C_WrapKey;
    public void* C_UnwrapKey;
    public void* C_DeriveKey;
    public void* C_SeedRandom;
    public void* C_GenerateRandom;
    public void* C_GetFunctionStatus;
    public void* C_CancelFunction;
    public void* C_WaitForSlotEvent;

    /// <summary>Copies the library's list, laid out as <paramref name="layout"/> says, into this managed table.</summary>
    internal static CK_FUNCTION_LIST CopyFrom(byte* native, CkLayout layout)
    {
        var table = new CK_FUNCTION_LIST { version = CK_VERSION.From(layout.Bytes(native, Native.Fields[0])) };
        var pointers = (void**)&table.C_Initialize;
        for (var i = 1; i < Native.Fields.Count; i++) pointers[i - 1] = layout.ReadPointer(native, Native.Fields[i]);
        return table;
    }
}
