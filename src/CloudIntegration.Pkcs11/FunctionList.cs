using System.Runtime.InteropServices;

namespace CloudIntegration.Native.Pkcs11;

/// <summary>
/// CK_FUNCTION_LIST of PKCS#11 v2.40: the version, then 68 function pointers in the standard's order (552 bytes on
/// 64-bit Unix; C_WrapKey at offset 488). The tool calls only a few; the others are kept as untyped pointers so every
/// field sits at its offset. Every function returns CK_RV, a CK_ULONG; handles and slot IDs are CK_ULONGs too.
/// <c>delegate* unmanaged</c> uses the platform's C calling convention, which is what Cryptoki libraries export.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct CK_FUNCTION_LIST
{
    public CK_VERSION version;
    public delegate* unmanaged<CK_C_INITIALIZE_ARGS*, nuint> C_Initialize;
    public delegate* unmanaged<void*, nuint> C_Finalize;
    public delegate* unmanaged<CK_INFO*, nuint> C_GetInfo;
    public void* C_GetFunctionList;
    public delegate* unmanaged<byte, nuint*, nuint*, nuint> C_GetSlotList;
    public delegate* unmanaged<nuint, CK_SLOT_INFO*, nuint> C_GetSlotInfo;
    public delegate* unmanaged<nuint, CK_TOKEN_INFO*, nuint> C_GetTokenInfo;
    public delegate* unmanaged<nuint, nuint*, nuint*, nuint> C_GetMechanismList;
    public delegate* unmanaged<nuint, nuint, CK_MECHANISM_INFO*, nuint> C_GetMechanismInfo;
    public void* C_InitToken;
    public void* C_InitPIN;
    public void* C_SetPIN;
    public delegate* unmanaged<nuint, nuint, void*, void*, nuint*, nuint> C_OpenSession;
    public delegate* unmanaged<nuint, nuint> C_CloseSession;
    public void* C_CloseAllSessions;
    public void* C_GetSessionInfo;
    public void* C_GetOperationState;
    public void* C_SetOperationState;
    public delegate* unmanaged<nuint, nuint, byte*, nuint, nuint> C_Login;
    public delegate* unmanaged<nuint, nuint> C_Logout;
    public delegate* unmanaged<nuint, CK_ATTRIBUTE*, nuint, nuint*, nuint> C_CreateObject;
    public void* C_CopyObject;
    public delegate* unmanaged<nuint, nuint, nuint> C_DestroyObject;
    public void* C_GetObjectSize;
    public delegate* unmanaged<nuint, nuint, CK_ATTRIBUTE*, nuint, nuint> C_GetAttributeValue;
    public void* C_SetAttributeValue;
    public delegate* unmanaged<nuint, CK_ATTRIBUTE*, nuint, nuint> C_FindObjectsInit;
    public delegate* unmanaged<nuint, nuint*, nuint, nuint*, nuint> C_FindObjects;
    public delegate* unmanaged<nuint, nuint> C_FindObjectsFinal;
    public void* C_EncryptInit;
    public void* C_Encrypt;
    public void* C_EncryptUpdate;
    public void* C_EncryptFinal;
    public void* C_DecryptInit;
    public void* C_Decrypt;
    public void* C_DecryptUpdate;
    public void* C_DecryptFinal;
    public delegate* unmanaged<nuint, CK_MECHANISM*, nuint> C_DigestInit;
    public void* C_Digest;
    public void* C_DigestUpdate;
    public delegate* unmanaged<nuint, nuint, nuint> C_DigestKey;
    public delegate* unmanaged<nuint, byte*, nuint*, nuint> C_DigestFinal;
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
    public delegate* unmanaged<nuint, CK_MECHANISM*, CK_ATTRIBUTE*, nuint, nuint*, nuint> C_GenerateKey;
    public delegate* unmanaged<nuint, CK_MECHANISM*, CK_ATTRIBUTE*, nuint, CK_ATTRIBUTE*, nuint, nuint*, nuint*, nuint> C_GenerateKeyPair;
    public delegate* unmanaged<nuint, CK_MECHANISM*, nuint, nuint, byte*, nuint*, nuint> C_WrapKey;
    public void* C_UnwrapKey;
    public void* C_DeriveKey;
    public void* C_SeedRandom;
    public void* C_GenerateRandom;
    public void* C_GetFunctionStatus;
    public void* C_CancelFunction;
    public void* C_WaitForSlotEvent;
}
