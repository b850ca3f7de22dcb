namespace CloudIntegration.Native.Pkcs11;

// Values from the PKCS#11 v2.40 headers (pkcs11t.h). Only what the tool sends, reads or reports is listed; a CK_ULONG
// is nuint (see Structs.cs for the platform note).

/// <summary>Object classes (CKO_).</summary>
public static class CKO
{
    public const nuint DATA = 0x0;
    public const nuint PUBLIC_KEY = 0x2;
    public const nuint PRIVATE_KEY = 0x3;
    public const nuint SECRET_KEY = 0x4;
}

/// <summary>Key types (CKK_).</summary>
public static class CKK
{
    public const nuint RSA = 0x0;
    public const nuint EC = 0x3;
    public const nuint GENERIC_SECRET = 0x10;
    public const nuint AES = 0x1F;
}

/// <summary>Attribute types (CKA_).</summary>
public static class CKA
{
    public const nuint CLASS = 0x0;
    public const nuint TOKEN = 0x1;
    public const nuint PRIVATE = 0x2;
    public const nuint LABEL = 0x3;
    public const nuint APPLICATION = 0x10;
    public const nuint VALUE = 0x11;
    public const nuint KEY_TYPE = 0x100;
    public const nuint ID = 0x102;
    public const nuint SENSITIVE = 0x103;
    public const nuint ENCRYPT = 0x104;
    public const nuint DECRYPT = 0x105;
    public const nuint WRAP = 0x106;
    public const nuint UNWRAP = 0x107;
    public const nuint SIGN = 0x108;
    public const nuint SIGN_RECOVER = 0x109;
    public const nuint VERIFY = 0x10A;
    public const nuint VERIFY_RECOVER = 0x10B;
    public const nuint DERIVE = 0x10C;
    public const nuint MODULUS = 0x120;
    public const nuint MODULUS_BITS = 0x121;
    public const nuint PUBLIC_EXPONENT = 0x122;
    public const nuint PRIVATE_EXPONENT = 0x123;
    public const nuint VALUE_LEN = 0x161;
    public const nuint EXTRACTABLE = 0x162;
    public const nuint LOCAL = 0x163;
    public const nuint NEVER_EXTRACTABLE = 0x164;
    public const nuint ALWAYS_SENSITIVE = 0x165;
    public const nuint MODIFIABLE = 0x170;
    public const nuint EC_PARAMS = 0x180;
    public const nuint EC_POINT = 0x181;
    public const nuint WRAP_WITH_TRUSTED = 0x210;
    public const nuint CHECK_VALUE = 0x90;

    static readonly Dictionary<nuint, string> Names = new()
    {
        [CLASS] = "CKA_CLASS", [TOKEN] = "CKA_TOKEN", [PRIVATE] = "CKA_PRIVATE", [LABEL] = "CKA_LABEL", [ID] = "CKA_ID",
        [KEY_TYPE] = "CKA_KEY_TYPE", [SENSITIVE] = "CKA_SENSITIVE", [ENCRYPT] = "CKA_ENCRYPT", [DECRYPT] = "CKA_DECRYPT",
        [WRAP] = "CKA_WRAP", [UNWRAP] = "CKA_UNWRAP", [SIGN] = "CKA_SIGN", [SIGN_RECOVER] = "CKA_SIGN_RECOVER",
        [VERIFY] = "CKA_VERIFY", [VERIFY_RECOVER] = "CKA_VERIFY_RECOVER", [DERIVE] = "CKA_DERIVE",
        [MODULUS_BITS] = "CKA_MODULUS_BITS", [PUBLIC_EXPONENT] = "CKA_PUBLIC_EXPONENT", [VALUE_LEN] = "CKA_VALUE_LEN",
        [EXTRACTABLE] = "CKA_EXTRACTABLE", [EC_PARAMS] = "CKA_EC_PARAMS", [WRAP_WITH_TRUSTED] = "CKA_WRAP_WITH_TRUSTED",
    };

    public static string Name(nuint attribute) =>
        Names.TryGetValue(attribute, out var name) ? name : $"CKA_0x{(ulong)attribute:X}";
}

/// <summary>Mechanism types (CKM_) and their names, for listings and error messages.</summary>
public static class CKM
{
    public const nuint RSA_PKCS_KEY_PAIR_GEN = 0x0;
    public const nuint RSA_PKCS = 0x1;
    public const nuint RSA_PKCS_OAEP = 0x9;
    public const nuint RSA_AES_KEY_WRAP = 0x1054;
    public const nuint SHA_1 = 0x220;
    public const nuint SHA224 = 0x255;
    public const nuint SHA256 = 0x250;
    public const nuint SHA384 = 0x260;
    public const nuint SHA512 = 0x270;
    public const nuint GENERIC_SECRET_KEY_GEN = 0x350;
    public const nuint EC_KEY_PAIR_GEN = 0x1040;
    public const nuint AES_KEY_GEN = 0x1080;
    public const nuint AES_KEY_WRAP = 0x2109;
    public const nuint AES_KEY_WRAP_PAD = 0x210A;
    public const nuint AES_KEY_WRAP_KWP = 0x210B;

    static readonly Dictionary<nuint, string> Names = new()
    {
        [RSA_PKCS_KEY_PAIR_GEN] = "CKM_RSA_PKCS_KEY_PAIR_GEN",
        [RSA_PKCS] = "CKM_RSA_PKCS",
        [RSA_PKCS_OAEP] = "CKM_RSA_PKCS_OAEP",
        [RSA_AES_KEY_WRAP] = "CKM_RSA_AES_KEY_WRAP",
        [SHA_1] = "CKM_SHA_1",
        [SHA224] = "CKM_SHA224",
        [SHA256] = "CKM_SHA256",
        [SHA384] = "CKM_SHA384",
        [SHA512] = "CKM_SHA512",
        [GENERIC_SECRET_KEY_GEN] = "CKM_GENERIC_SECRET_KEY_GEN",
        [EC_KEY_PAIR_GEN] = "CKM_EC_KEY_PAIR_GEN",
        [AES_KEY_GEN] = "CKM_AES_KEY_GEN",
        [AES_KEY_WRAP] = "CKM_AES_KEY_WRAP",
        [AES_KEY_WRAP_PAD] = "CKM_AES_KEY_WRAP_PAD",
        [AES_KEY_WRAP_KWP] = "CKM_AES_KEY_WRAP_KWP",
    };

    public static string Name(nuint mechanism) =>
        Names.TryGetValue(mechanism, out var name) ? name : $"CKM_0x{(ulong)mechanism:X}";
}

/// <summary>Mask generation functions for OAEP (CKG_).</summary>
public static class CKG
{
    public const nuint MGF1_SHA1 = 0x1;
    public const nuint MGF1_SHA256 = 0x2;
    public const nuint MGF1_SHA384 = 0x3;
    public const nuint MGF1_SHA512 = 0x4;
    public const nuint MGF1_SHA224 = 0x5;

    public static string Name(nuint mgf) => mgf switch
    {
        MGF1_SHA1 => "CKG_MGF1_SHA1",
        MGF1_SHA256 => "CKG_MGF1_SHA256",
        MGF1_SHA384 => "CKG_MGF1_SHA384",
        MGF1_SHA512 => "CKG_MGF1_SHA512",
        MGF1_SHA224 => "CKG_MGF1_SHA224",
        _ => $"CKG_0x{(ulong)mgf:X}",
    };
}

/// <summary>OAEP encoding-parameter source (CKZ_).</summary>
public static class CKZ
{
    public const nuint DATA_SPECIFIED = 0x1;
}

/// <summary>User types for C_Login (CKU_).</summary>
public static class CKU
{
    public const nuint USER = 1;
}

/// <summary>Flags (CKF_) of slots, tokens, sessions, mechanisms and C_Initialize.</summary>
public static class CKF
{
    // CK_SLOT_INFO.flags
    public const nuint TOKEN_PRESENT = 0x1;
    public const nuint REMOVABLE_DEVICE = 0x2;
    public const nuint HW_SLOT = 0x4;

    // CK_TOKEN_INFO.flags
    public const nuint RNG = 0x1;
    public const nuint WRITE_PROTECTED = 0x2;
    public const nuint LOGIN_REQUIRED = 0x4;
    public const nuint USER_PIN_INITIALIZED = 0x8;
    public const nuint PROTECTED_AUTHENTICATION_PATH = 0x100;
    public const nuint TOKEN_INITIALIZED = 0x400;
    public const nuint USER_PIN_COUNT_LOW = 0x10000;
    public const nuint USER_PIN_FINAL_TRY = 0x20000;
    public const nuint USER_PIN_LOCKED = 0x40000;

    // C_OpenSession flags
    public const nuint RW_SESSION = 0x2;
    public const nuint SERIAL_SESSION = 0x4;

    // CK_MECHANISM_INFO.flags
    public const nuint HW = 0x1;
    public const nuint ENCRYPT = 0x100;
    public const nuint DECRYPT = 0x200;
    public const nuint DIGEST = 0x400;
    public const nuint SIGN = 0x800;
    public const nuint VERIFY = 0x2000;
    public const nuint GENERATE = 0x8000;
    public const nuint GENERATE_KEY_PAIR = 0x10000;
    public const nuint WRAP = 0x20000;
    public const nuint UNWRAP = 0x40000;

    // CK_C_INITIALIZE_ARGS.flags
    public const nuint OS_LOCKING_OK = 0x2;
}
