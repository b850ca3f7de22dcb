using System.Runtime.InteropServices;
using System.Text;

namespace CloudIntegration.Native.Pkcs11;

/// <summary>
/// A CK_ATTRIBUTE array for C_CreateObject, C_GenerateKey(Pair) or C_FindObjectsInit, built in native memory the
/// library can read while the call runs. Values are encoded as the standard types them: CK_BBOOL is one byte and
/// CK_ULONG is nuint-sized (SoftHSM answers CKR_ATTRIBUTE_VALUE_INVALID to anything else). Freed and zeroed on Dispose.
/// </summary>
public sealed unsafe class AttributeTemplate : IDisposable
{
    readonly List<(nuint Type, byte[] Value)> _items = [];
    CK_ATTRIBUTE* _native;
    byte* _values;
    nuint _valuesLength;

    public int Count => _items.Count;

    /// <summary>The attributes in the order given, with a copy of each value (for checks and messages).</summary>
    public IReadOnlyList<(nuint Type, byte[] Value)> Items => [.. _items.Select(i => (i.Type, i.Value.ToArray()))];

    public AttributeTemplate Bool(nuint type, bool value) => Bytes(type, [value ? (byte)1 : (byte)0]);

    public AttributeTemplate Ulong(nuint type, nuint value)
    {
        var bytes = new byte[sizeof(nuint)];
        MemoryMarshal.Write(bytes, in value);
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
    internal CK_ATTRIBUTE* Native
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
        _native = (CK_ATTRIBUTE*)NativeMemory.AllocZeroed((nuint)Math.Max(1, _items.Count), (nuint)sizeof(CK_ATTRIBUTE));
        var offset = 0;
        for (var i = 0; i < _items.Count; i++)
        {
            var (type, value) = _items[i];
            value.CopyTo(new Span<byte>(_values + offset, value.Length));
            _native[i] = new CK_ATTRIBUTE { type = type, pValue = _values + offset, ulValueLen = (nuint)value.Length };
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
/// CK_MECHANISM (and its parameter structure) is built on the caller's stack for the duration of one call.
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

    /// <summary>Fills the caller's stack structures and returns the CK_MECHANISM pointing at them.</summary>
    internal unsafe CK_MECHANISM ToNative(CK_RSA_PKCS_OAEP_PARAMS* oaep, CK_RSA_AES_KEY_WRAP_PARAMS* rsaAes)
    {
        *oaep = new CK_RSA_PKCS_OAEP_PARAMS { hashAlg = OaepHash, mgf = OaepMgf, source = CKZ.DATA_SPECIFIED };
        switch (Type)
        {
            case CKM.RSA_PKCS_OAEP:
                return new CK_MECHANISM { mechanism = Type, pParameter = oaep, ulParameterLen = (nuint)sizeof(CK_RSA_PKCS_OAEP_PARAMS) };
            case CKM.RSA_AES_KEY_WRAP:
                *rsaAes = new CK_RSA_AES_KEY_WRAP_PARAMS { ulAESKeyBits = AesKeyBits, pOAEPParams = oaep };
                return new CK_MECHANISM { mechanism = Type, pParameter = rsaAes, ulParameterLen = (nuint)sizeof(CK_RSA_AES_KEY_WRAP_PARAMS) };
            default:
                return new CK_MECHANISM { mechanism = Type };
        }
    }
}
