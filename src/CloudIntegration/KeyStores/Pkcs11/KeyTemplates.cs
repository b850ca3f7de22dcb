using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Security.Cryptography;
using CloudIntegration.Keys;
using CloudIntegration.Native.Pkcs11;
using CloudIntegration.Wrapping;

namespace CloudIntegration.KeyStores.Pkcs11;

/// <summary>
/// The attribute templates the tool sends, and the marker that says a key was created by this tool. Every attribute
/// that decides what a key may do is given explicitly, because token defaults differ and some are generous (SoftHSM
/// turns on CKA_UNWRAP and CKA_WRAP for keys whose template leaves them out).
/// </summary>
static class KeyTemplates
{
    /// <summary>
    /// CKA_ID of a key made by this tool: "CIT1", the creation time (8 bytes, big-endian Unix seconds) and 8 random
    /// bytes, 20 bytes in all. The prefix is the created-by-this-tool marker; keys without it are never exported.
    /// The time keeps KeyRecord.Created without a companion object, and orders two keys raced into existence.
    /// </summary>
    public static ReadOnlySpan<byte> Marker => "CIT1"u8;
    public const int IdLength = 20;

    public static byte[] NewId(DateTimeOffset now)
    {
        var id = new byte[IdLength];
        Marker.CopyTo(id);
        BinaryPrimitives.WriteInt64BigEndian(id.AsSpan(4, 8), now.ToUnixTimeSeconds());
        RandomNumberGenerator.Fill(id.AsSpan(12));
        return id;
    }

    public static bool IsOurs(byte[]? id) => id is { Length: IdLength } && id.AsSpan().StartsWith(Marker);

    public static DateTimeOffset CreatedFrom(byte[] id) =>
        DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(id.AsSpan(4, 8)));

    /// <summary>
    /// The exported key as kept in the token: a private token object, sensitive (its value cannot be read) but
    /// extractable (it can be wrapped), with no use inside the token. The token copy exists to be wrapped for a
    /// provider again; the provider's copy is the one that encrypts. CKA_WRAP_WITH_TRUSTED stays off, since the
    /// in-token RSA-AES construction wraps it under a session key that only the SO could mark trusted.
    /// </summary>
    static AttributeTemplate Target(AttributeTemplate t, nuint keyClass, nuint keyType, KeyName name, byte[] id) => t
        .Ulong(CKA.CLASS, keyClass).Ulong(CKA.KEY_TYPE, keyType)
        .Bool(CKA.TOKEN, true).Bool(CKA.PRIVATE, true).Bool(CKA.SENSITIVE, true).Bool(CKA.EXTRACTABLE, true)
        .Bool(CKA.WRAP_WITH_TRUSTED, false)
        .Text(CKA.LABEL, name.Value).Bytes(CKA.ID, id);

    public static AttributeTemplate AesKey(KeyName name, byte[] id, int bytes) =>
        Target(new AttributeTemplate(), CKO.SECRET_KEY, CKK.AES, name, id)
            .Ulong(CKA.VALUE_LEN, (nuint)bytes)
            .Bool(CKA.ENCRYPT, false).Bool(CKA.DECRYPT, false).Bool(CKA.SIGN, false).Bool(CKA.VERIFY, false)
            .Bool(CKA.WRAP, false).Bool(CKA.UNWRAP, false).Bool(CKA.DERIVE, false);

    public static AttributeTemplate PrivateKey(nuint keyType, KeyName name, byte[] id)
    {
        var t = Target(new AttributeTemplate(), CKO.PRIVATE_KEY, keyType, name, id)
            .Bool(CKA.SIGN, false).Bool(CKA.DECRYPT, false).Bool(CKA.UNWRAP, false).Bool(CKA.DERIVE, false);
        // CKA_SIGN_RECOVER is an RSA notion; some tokens refuse it on EC templates.
        return keyType == CKK.RSA ? t.Bool(CKA.SIGN_RECOVER, false) : t;
    }

    /// <summary>The public half: a public token object, labelled and identified like the private half.</summary>
    static AttributeTemplate PublicHalf(nuint keyType, KeyName name, byte[] id) => new AttributeTemplate()
        .Ulong(CKA.CLASS, CKO.PUBLIC_KEY).Ulong(CKA.KEY_TYPE, keyType)
        .Bool(CKA.TOKEN, true).Bool(CKA.PRIVATE, false)
        .Bool(CKA.VERIFY, false).Bool(CKA.ENCRYPT, false).Bool(CKA.WRAP, false).Bool(CKA.DERIVE, false)
        .Text(CKA.LABEL, name.Value).Bytes(CKA.ID, id);

    public static AttributeTemplate RsaPublic(KeyName name, byte[] id, int bits) =>
        PublicHalf(CKK.RSA, name, id).Bool(CKA.VERIFY_RECOVER, false)
            .Ulong(CKA.MODULUS_BITS, (nuint)bits).Bytes(CKA.PUBLIC_EXPONENT, [0x01, 0x00, 0x01]);

    public static AttributeTemplate EcPublic(KeyName name, byte[] id, string curveOid) =>
        PublicHalf(CKK.EC, name, id).Bytes(CKA.EC_PARAMS, NamedCurve(curveOid));

    /// <summary>CKA_EC_PARAMS: the DER of the namedCurve OID (ECParameters choice).</summary>
    public static byte[] NamedCurve(string oid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(oid);
        return writer.Encode();
    }

    /// <summary>The provider's public key as a session object that may only wrap.</summary>
    public static AttributeTemplate ProviderKey(WrappingPublicKey key) => RsaWrappingKey(key.Modulus, key.Exponent);

    public static AttributeTemplate RsaWrappingKey(byte[] modulus, byte[] exponent) => new AttributeTemplate()
        .Ulong(CKA.CLASS, CKO.PUBLIC_KEY).Ulong(CKA.KEY_TYPE, CKK.RSA)
        .Bool(CKA.TOKEN, false).Bool(CKA.PRIVATE, false)
        .Bytes(CKA.MODULUS, modulus).Bytes(CKA.PUBLIC_EXPONENT, exponent)
        .Bool(CKA.WRAP, true).Bool(CKA.ENCRYPT, false).Bool(CKA.VERIFY, false).Bool(CKA.VERIFY_RECOVER, false)
        .Text(CKA.LABEL, "cloud_integration_tool provider wrapping key");

    /// <summary>
    /// The ephemeral AES-256 key of the in-token RSA-AES construction: a session object that can wrap and nothing else,
    /// sensitive, and extractable only so that the provider's RSA key can wrap it.
    /// </summary>
    public static AttributeTemplate EphemeralAes(bool privateObject) => new AttributeTemplate()
        .Ulong(CKA.CLASS, CKO.SECRET_KEY).Ulong(CKA.KEY_TYPE, CKK.AES).Ulong(CKA.VALUE_LEN, 32)
        .Bool(CKA.TOKEN, false).Bool(CKA.PRIVATE, privateObject).Bool(CKA.SENSITIVE, true).Bool(CKA.EXTRACTABLE, true)
        .Bool(CKA.WRAP, true).Bool(CKA.UNWRAP, false).Bool(CKA.ENCRYPT, false).Bool(CKA.DECRYPT, false)
        .Bool(CKA.SIGN, false).Bool(CKA.VERIFY, false).Bool(CKA.DERIVE, false)
        .Text(CKA.LABEL, "cloud_integration_tool ephemeral key");

    public static AttributeTemplate ByLabel(KeyName name) => new AttributeTemplate().Text(CKA.LABEL, name.Value);

    public static AttributeTemplate ByClass(nuint keyClass) => new AttributeTemplate().Ulong(CKA.CLASS, keyClass);

    public static AttributeTemplate ById(byte[] id, nuint? keyClass = null)
    {
        var t = new AttributeTemplate().Bytes(CKA.ID, id);
        return keyClass is { } c ? t.Ulong(CKA.CLASS, c) : t;
    }
}
