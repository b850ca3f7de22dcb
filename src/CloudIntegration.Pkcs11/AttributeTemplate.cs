using System.Runtime.InteropServices;
using System.Text;

namespace CloudIntegration.Native.Pkcs11;

/// <summary>
/// A CK_ATTRIBUTE array for C_CreateObject, C_GenerateKey(Pair) or C_FindObjectsInit, built in native memory the
/// library can read while the call runs. Values are encoded as the standard types them: CK_BBOOL is one byte and
/// CK_ULONG is the platform's (8 bytes on 64-bit Unix, 4 on Windows; SoftHSM answers CKR_ATTRIBUTE_VALUE_INVALID to
/// anything else). Freed and zeroed on Dispose.
/// </summary>
public sealed unsafe class AttributeTemplate : IDisposable
{
    static CkLayout Layout => Pkcs11Module.Layout;

    readonly List<(nuint Type, byte[] Value)> _items = [];
    byte* _native;
    byte* _values;
    nuint _valuesLength;

    public int Count => _items.Count;

    /// <summary>The attributes in the order given, with a copy of each value (for checks and messages).</summary>
    public IReadOnlyList<(nuint Type, byte[] Value)> Items => [.. _items.Select(i => (i.Type, i.Value.ToArray()))];

    public AttributeTemplate Bool(nuint type, bool value) => Bytes(type, [value ? (byte)1 : (byte)0]);

    public AttributeTemplate Ulong(nuint type, nuint value)
    {
        var bytes = new byte[Layout.UlongSize];
        fixed (byte* p = bytes) Layout.WriteUlong(p, value);
        return Bytes(type, bytes);
    }

    public AttributeTemplate Text(nuint type, string value) => Bytes(type, Encoding.UTF8.GetBytes(value));

    public AttributeTemplate Bytes(nuint type, ReadOnlySpan<byte> value)
    {
        if (_native is not null) throw new InvalidOperationException("the template was already passed to the library");
        _items.Add((type, value.ToArray()));
        return this;
    }

    /// <summary>The array as the library sees it; valid until Dispose.</summary>
    internal byte* Native
    {
        get
        {
            if (_native is null) Build();
            return _native;
        }
    }

    void Build()
    {
        _valuesLength = (nuint)_items.Sum(i => i.Value.Length);
        _values = (byte*)NativeMemory.AllocZeroed(Math.Max((nuint)1, _valuesLength));
        var size = Layout.SizeOf(CK_ATTRIBUTE.Struct);
        _native = (byte*)NativeMemory.AllocZeroed((nuint)Math.Max(1, _items.Count), (nuint)size);
        var offset = 0;
        for (var i = 0; i < _items.Count; i++)
        {
            var (type, value) = _items[i];
            value.CopyTo(new Span<byte>(_values + offset, value.Length));
            var attribute = _native + i * size;
            Layout.Write(attribute, CK_ATTRIBUTE.type, type);
            Layout.Write(attribute, CK_ATTRIBUTE.pValue, _values + offset);
            Layout.Write(attribute, CK_ATTRIBUTE.ulValueLen, (nuint)value.Length);
            offset += value.Length;
        }
    }

    public void Dispose()
    {
        if (_values is not null)
        {
            NativeMemory.Clear(_values, _valuesLength);
            NativeMemory.Free(_values);
            _values = null;
        }
        if (_native is not null)
        {
            NativeMemory.Free(_native);
            _native = null;
        }
        foreach (var (_, value) in _items) Array.Clear(value);
    }
}

/// <summary>
/// A mechanism and its parameters, described in managed form so that it can be named in messages; the native
/// CK_MECHANISM (and its parameter structures) is built in a caller's stack buffer of <see cref="NativeSize"/> bytes
/// for the duration of one call.
/// </summary>
public sealed record Mechanism(nuint Type, nuint OaepHash = 0, nuint OaepMgf = 0, nuint AesKeyBits = 0)
{
    public static Mechanism Of(nuint type) => new(type);

    /// <summary>RSA-OAEP with an empty label (CKZ_DATA_SPECIFIED, no source data), as every provider expects.</summary>
    public static Mechanism Oaep(nuint hash, nuint mgf) => new(CKM.RSA_PKCS_OAEP, hash, mgf);

    public static Mechanism RsaAesKeyWrap(nuint aesKeyBits, nuint hash, nuint mgf) => new(CKM.RSA_AES_KEY_WRAP, hash, mgf, aesKeyBits);

    public string Describe() => Type switch
    {
        CKM.RSA_PKCS_OAEP => $"CKM_RSA_PKCS_OAEP (hashAlg={CKM.Name(OaepHash)}, mgf={CKG.Name(OaepMgf)}, empty label)",
        CKM.RSA_AES_KEY_WRAP => $"CKM_RSA_AES_KEY_WRAP (ulAESKeyBits={AesKeyBits}, OAEP hashAlg={CKM.Name(OaepHash)}, " +
                                $"mgf={CKG.Name(OaepMgf)}, empty label)",
        _ => CKM.Name(Type),
    };

    public override string ToString() => Describe();

    /// <summary>Bytes for a CK_MECHANISM followed by the parameter structures it may point at.</summary>
    internal static int NativeSize(CkLayout layout) =>
        layout.SizeOf(CK_MECHANISM.Struct) + layout.SizeOf(CK_RSA_PKCS_OAEP_PARAMS.Struct) + layout.SizeOf(CK_RSA_AES_KEY_WRAP_PARAMS.Struct);

    /// <summary>Fills the caller's buffer of <see cref="NativeSize"/> bytes and returns the CK_MECHANISM at its start.</summary>
    internal unsafe byte* ToNative(CkLayout layout, byte* buffer)
    {
        new Span<byte>(buffer, NativeSize(layout)).Clear();
        var mechanism = buffer;
        var oaep = mechanism + layout.SizeOf(CK_MECHANISM.Struct);
        var rsaAes = oaep + layout.SizeOf(CK_RSA_PKCS_OAEP_PARAMS.Struct);
        layout.Write(mechanism, CK_MECHANISM.mechanism, Type);
        layout.Write(oaep, CK_RSA_PKCS_OAEP_PARAMS.hashAlg, OaepHash);
        layout.Write(oaep, CK_RSA_PKCS_OAEP_PARAMS.mgf, OaepMgf);
        layout.Write(oaep, CK_RSA_PKCS_OAEP_PARAMS.source, CKZ.DATA_SPECIFIED);
        switch (Type)
        {
            case CKM.RSA_PKCS_OAEP:
                Parameter(layout, mechanism, oaep, CK_RSA_PKCS_OAEP_PARAMS.Struct);
                break;
            case CKM.RSA_AES_KEY_WRAP:
                layout.Write(rsaAes, CK_RSA_AES_KEY_WRAP_PARAMS.ulAESKeyBits, AesKeyBits);
                layout.Write(rsaAes, CK_RSA_AES_KEY_WRAP_PARAMS.pOAEPParams, oaep);
                Parameter(layout, mechanism, rsaAes, CK_RSA_AES_KEY_WRAP_PARAMS.Struct);
                break;
        }
        return mechanism;
    }

    static unsafe void Parameter(CkLayout layout, byte* mechanism, byte* parameter, CkStruct structure)
    {
        layout.Write(mechanism, CK_MECHANISM.pParameter, parameter);
        layout.Write(mechanism, CK_MECHANISM.ulParameterLen, (nuint)layout.SizeOf(structure));
    }
}
