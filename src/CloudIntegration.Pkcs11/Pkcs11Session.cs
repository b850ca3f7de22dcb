using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace CloudIntegration.Native.Pkcs11;

/// <summary>
/// A session on one token, with the calls the tool makes: login, object search and attributes, key generation,
/// key wrapping and key digests. Every failure is a <see cref="Pkcs11Exception"/> naming the function.
/// </summary>
public sealed unsafe class Pkcs11Session : IDisposable
{
    readonly Pkcs11Module _module;
    readonly nuint _handle;
    bool _closed;

    internal Pkcs11Session(Pkcs11Module module, nuint handle)
    {
        _module = module;
        _handle = handle;
    }

    static CkLayout Layout => Pkcs11Module.Layout;

    CK_FUNCTION_LIST* F => _closed ? throw new ObjectDisposedException(nameof(Pkcs11Session)) : _module.Functions;

    /// <summary>Logs the user in. Login state is per token and process, so "already logged in" is success.</summary>
    public void Login(ReadOnlySpan<byte> pin)
    {
        fixed (byte* p = pin)
        {
            var rv = F->C_Login(_handle, CKU.USER, p, (nuint)pin.Length);
            if (rv != CKR.USER_ALREADY_LOGGED_IN) Pkcs11Exception.Check(rv, "C_Login");
        }
    }

    /// <summary>Login where the PIN is entered on the device itself (CKF_PROTECTED_AUTHENTICATION_PATH).</summary>
    public void LoginOnDevice()
    {
        var rv = F->C_Login(_handle, CKU.USER, null, 0);
        if (rv != CKR.USER_ALREADY_LOGGED_IN) Pkcs11Exception.Check(rv, "C_Login");
    }

    public IReadOnlyList<nuint> FindObjects(AttributeTemplate template)
    {
        Pkcs11Exception.Check(F->C_FindObjectsInit(_handle, template.Native, (nuint)template.Count), "C_FindObjectsInit");
        var found = new List<nuint>();
        try
        {
            var batch = stackalloc byte[32 * Layout.UlongSize];
            while (true)
            {
                nuint count = 0;
                Pkcs11Exception.Check(F->C_FindObjects(_handle, batch, 32, &count), "C_FindObjects");
                if (count == 0) break;
                for (var i = 0; i < (int)count; i++) found.Add(Layout.ReadUlong(batch, i));
            }
        }
        finally
        {
            // Without Final the session stays in a search and every later C_FindObjectsInit is CKR_OPERATION_ACTIVE.
            F->C_FindObjectsFinal(_handle);
        }
        return found;
    }

    /// <summary>
    /// One attribute's value, or null when the token will not give it: sensitive (CKR_ATTRIBUTE_SENSITIVE), not an
    /// attribute of this object (CKR_ATTRIBUTE_TYPE_INVALID), or otherwise unavailable.
    /// </summary>
    public byte[]? GetAttribute(nuint handle, nuint type)
    {
        var attribute = stackalloc byte[Layout.SizeOf(CK_ATTRIBUTE.Struct)];
        new Span<byte>(attribute, Layout.SizeOf(CK_ATTRIBUTE.Struct)).Clear();
        Layout.Write(attribute, CK_ATTRIBUTE.type, type);
        nuint rv = F->C_GetAttributeValue(_handle, handle, attribute, 1);
        var length = Layout.Read(attribute, CK_ATTRIBUTE.ulValueLen);
        if (rv is CKR.ATTRIBUTE_SENSITIVE or CKR.ATTRIBUTE_TYPE_INVALID || length == Layout.UlongMax) return null;
        Pkcs11Exception.Check(rv, "C_GetAttributeValue");
        var value = new byte[(int)length];
        fixed (byte* p = value)
        {
            Layout.Write(attribute, CK_ATTRIBUTE.pValue, p);
            rv = F->C_GetAttributeValue(_handle, handle, attribute, 1);
            if (rv is CKR.ATTRIBUTE_SENSITIVE or CKR.ATTRIBUTE_TYPE_INVALID) return null;
            Pkcs11Exception.Check(rv, "C_GetAttributeValue");
        }
        return value[..(int)Layout.Read(attribute, CK_ATTRIBUTE.ulValueLen)];
    }

    /// <summary>A CK_ULONG attribute (class, key type, lengths), or null when it cannot be read.</summary>
    public nuint? GetUlong(nuint handle, nuint type)
    {
        if (GetAttribute(handle, type) is not { } value || value.Length != Layout.UlongSize) return null;
        fixed (byte* p = value) return Layout.ReadUlong(p);
    }

    /// <summary>C_SetAttributeValue: changes attributes of an object (the tool changes only CKA_ID, to settle a new key).</summary>
    public void SetAttributes(nuint handle, AttributeTemplate template) =>
        Pkcs11Exception.Check(F->C_SetAttributeValue(_handle, handle, template.Native, (nuint)template.Count), "C_SetAttributeValue");

    public nuint CreateObject(AttributeTemplate template)
    {
        nuint handle;
        Pkcs11Exception.Check(F->C_CreateObject(_handle, template.Native, (nuint)template.Count, &handle), "C_CreateObject");
        return handle;
    }

    public void DestroyObject(nuint handle) =>
        Pkcs11Exception.Check(F->C_DestroyObject(_handle, handle), "C_DestroyObject");

    public nuint GenerateKey(Mechanism mechanism, AttributeTemplate template)
    {
        var buffer = stackalloc byte[Mechanism.NativeSize(Layout)];
        var mech = mechanism.ToNative(Layout, buffer);
        nuint handle;
        Pkcs11Exception.Check(F->C_GenerateKey(_handle, mech, template.Native, (nuint)template.Count, &handle),
                              "C_GenerateKey", mechanism.Describe());
        return handle;
    }

    public (nuint Public, nuint Private) GenerateKeyPair(Mechanism mechanism, AttributeTemplate publicTemplate, AttributeTemplate privateTemplate)
    {
        var buffer = stackalloc byte[Mechanism.NativeSize(Layout)];
        var mech = mechanism.ToNative(Layout, buffer);
        nuint publicKey, privateKey;
        Pkcs11Exception.Check(F->C_GenerateKeyPair(_handle, mech, publicTemplate.Native, (nuint)publicTemplate.Count,
                                                   privateTemplate.Native, (nuint)privateTemplate.Count, &publicKey, &privateKey),
                              "C_GenerateKeyPair", mechanism.Describe());
        return (publicKey, privateKey);
    }

    /// <summary>C_WrapKey: the token encrypts <paramref name="key"/> under <paramref name="wrappingKey"/>; only ciphertext comes out.</summary>
    public byte[] WrapKey(Mechanism mechanism, nuint wrappingKey, nuint key)
    {
        var buffer = stackalloc byte[Mechanism.NativeSize(Layout)];
        var mech = mechanism.ToNative(Layout, buffer);
        nuint length = 0;
        Pkcs11Exception.Check(F->C_WrapKey(_handle, mech, wrappingKey, key, null, &length), "C_WrapKey", mechanism.Describe());
        for (var attempt = 0; ; attempt++)
        {
            var wrapped = new byte[(int)length];
            fixed (byte* p = wrapped)
            {
                var size = length;
                var rv = F->C_WrapKey(_handle, mech, wrappingKey, key, p, &size);
                if (rv == CKR.BUFFER_TOO_SMALL && attempt < 4)
                {
                    // NSS answers the size query for CKM_AES_KEY_WRAP_KWP with the input length, 8 to 15 bytes short;
                    // take the token's new figure when it gives a larger one, else grow the buffer ourselves.
                    length = size > length && size < int.MaxValue ? size : length + 16;
                    continue;
                }
                Pkcs11Exception.Check(rv, "C_WrapKey", mechanism.Describe());
                length = size;
            }
            return wrapped[..(int)length];
        }
    }

    /// <summary>The digest of a key's value, computed in the token (C_DigestInit, C_DigestKey, C_DigestFinal).</summary>
    public byte[] DigestKey(Mechanism mechanism, nuint key)
    {
        var buffer = stackalloc byte[Mechanism.NativeSize(Layout)];
        var mech = mechanism.ToNative(Layout, buffer);
        Pkcs11Exception.Check(F->C_DigestInit(_handle, mech), "C_DigestInit", mechanism.Describe());
        Span<byte> digest = stackalloc byte[64];
        nuint length = 64;
        var rv = F->C_DigestKey(_handle, key);
        fixed (byte* p = digest)
        {
            if (rv != CKR.OK)
            {
                // A failed C_DigestKey may leave the operation active (SoftHSM does), and then every later *Init in
                // this session fails with CKR_OPERATION_ACTIVE; a C_DigestFinal with a real buffer ends it.
                F->C_DigestFinal(_handle, p, &length);
                CryptographicOperations.ZeroMemory(digest);
                throw new Pkcs11Exception("C_DigestKey", rv, mechanism.Describe());
            }
            Pkcs11Exception.Check(F->C_DigestFinal(_handle, p, &length), "C_DigestFinal", mechanism.Describe());
        }
        return digest[..(int)length].ToArray();
    }

    public void Dispose()
    {
        if (_closed) return;
        _module.Functions->C_CloseSession(_handle);
        _closed = true;
    }
}
