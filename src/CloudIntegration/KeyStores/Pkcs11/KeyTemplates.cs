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
    /// CKA_ID of a key made by this tool: a 4-byte marker, the creation time (8 bytes, big-endian Unix milliseconds;
    /// keys made before this version carry seconds) and 8 random bytes, 20 bytes in all. The marker "CIT1" says the
    /// key was made by this tool and is settled: the one key of its name, which exports use. A key is generated with
    /// the marker "CITF" (fresh) and becomes "CIT1" only once its creator has seen it alone under its name (see
    /// <see cref="RaceSettlement"/>); keys of earlier versions, made before this rule, are already "CIT1". Keys with
    /// neither marker are never exported. The time keeps KeyRecord.Created without a companion object, and tells a
    /// fresh key left long ago by a creator that stopped.
    /// </summary>
    public static ReadOnlySpan<byte> Marker => "CIT1"u8;
    public static ReadOnlySpan<byte> FreshMarker => "CITF"u8;
    public const int IdLength = 20;

    /// <summary>A fresh key's CKA_ID.</summary>
    public static byte[] NewId(DateTimeOffset now)
    {
        var id = new byte[IdLength];
        FreshMarker.CopyTo(id);
        BinaryPrimitives.WriteInt64BigEndian(id.AsSpan(4, 8), now.ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(id.AsSpan(12));
        return id;
    }

    /// <summary>The settled CKA_ID of a fresh key: the same time and random part under the settled marker.</summary>
    public static byte[] Settled(byte[] freshId)
    {
        var id = freshId.ToArray();
        Marker.CopyTo(id);
        return id;
    }

    /// <summary>A settled key of this tool: the only kind exported.</summary>
    public static bool IsOurs(byte[]? id) => id is { Length: IdLength } && id.AsSpan().StartsWith(Marker);

    /// <summary>A key this tool generated whose creator has not (yet) seen it alone under its name.</summary>
    public static bool IsFresh(byte[]? id) => id is { Length: IdLength } && id.AsSpan().StartsWith(FreshMarker);

    public static DateTimeOffset CreatedFrom(byte[] id)
    {
        var time = BinaryPrimitives.ReadInt64BigEndian(id.AsSpan(4, 8));
        // Seconds since 1970 stay below 10^11 until the year 5138; milliseconds passed it in 1973.
        return time < 100_000_000_000 ? DateTimeOffset.FromUnixTimeSeconds(time) : DateTimeOffset.FromUnixTimeMilliseconds(time);
    }

    /// <summary>
    /// Attributes whose default the specification fixes, with that default. A key template never sends one of these
    /// with its default value: it would say nothing, and older tokens refuse attributes they do not know (openCryptoki
    /// 3.8.1 rejects any template carrying CKA_WRAP_WITH_TRUSTED, a Cryptoki 2.20 addition, with
    /// CKR_ATTRIBUTE_TYPE_INVALID). Attributes whose default is token-specific (CKA_PRIVATE, CKA_EXTRACTABLE, CKA_WRAP,
    /// CKA_ENCRYPT...) are always sent, because some tokens' defaults are generous.
    /// </summary>
    public static IReadOnlyDictionary<nuint, bool> SpecifiedDefaults { get; } = new Dictionary<nuint, bool>
    {
        [CKA.TOKEN] = false,
        [CKA.SENSITIVE] = false,
        [CKA.DERIVE] = false,
        [CKA.WRAP_WITH_TRUSTED] = false,
    };

    /// <summary>
    /// The exported key as kept in the token: a private token object, sensitive (its value cannot be read) but
    /// extractable (it can be wrapped), with no use inside the token. The token copy exists to be wrapped for a
    /// provider again; the provider's copy is the one that encrypts. CKA_WRAP_WITH_TRUSTED and CKA_DERIVE stay at
    /// their specified default, off, without being sent (see <see cref="SpecifiedDefaults"/>).
    /// </summary>
    static AttributeTemplate Target(AttributeTemplate t, nuint keyClass, nuint keyType, KeyName name, byte[] id) => t
        .Ulong(CKA.CLASS, keyClass).Ulong(CKA.KEY_TYPE, keyType)
        .Bool(CKA.TOKEN, true).Bool(CKA.PRIVATE, true).Bool(CKA.SENSITIVE, true).Bool(CKA.EXTRACTABLE, true)
        .Text(CKA.LABEL, name.Value).Bytes(CKA.ID, id);

    public static AttributeTemplate AesKey(KeyName name, byte[] id, int bytes) => SecretKey(CKK.AES, name, id, bytes);

    /// <summary>An HMAC key: a generic secret of the hash's output length (CKM_GENERIC_SECRET_KEY_GEN), with no use either.</summary>
    public static AttributeTemplate HmacKey(KeyName name, byte[] id, int bytes) => SecretKey(CKK.GENERIC_SECRET, name, id, bytes);

    static AttributeTemplate SecretKey(nuint keyType, KeyName name, byte[] id, int bytes) =>
        Target(new AttributeTemplate(), CKO.SECRET_KEY, keyType, name, id)
            .Ulong(CKA.VALUE_LEN, (nuint)bytes)
            .Bool(CKA.ENCRYPT, false).Bool(CKA.DECRYPT, false).Bool(CKA.SIGN, false).Bool(CKA.VERIFY, false)
            .Bool(CKA.WRAP, false).Bool(CKA.UNWRAP, false);

    public static AttributeTemplate PrivateKey(nuint keyType, KeyName name, byte[] id)
    {
        var t = Target(new AttributeTemplate(), CKO.PRIVATE_KEY, keyType, name, id)
            .Bool(CKA.SIGN, false).Bool(CKA.DECRYPT, false).Bool(CKA.UNWRAP, false);
        // CKA_SIGN_RECOVER is an RSA notion; some tokens refuse it on EC templates.
        return keyType == CKK.RSA ? t.Bool(CKA.SIGN_RECOVER, false) : t;
    }

    /// <summary>The public half: a public token object, labelled and identified like the private half.</summary>
    static AttributeTemplate PublicHalf(nuint keyType, KeyName name, byte[] id) => new AttributeTemplate()
        .Ulong(CKA.CLASS, CKO.PUBLIC_KEY).Ulong(CKA.KEY_TYPE, keyType)
        .Bool(CKA.TOKEN, true).Bool(CKA.PRIVATE, false)
        .Bool(CKA.VERIFY, false).Bool(CKA.ENCRYPT, false).Bool(CKA.WRAP, false)
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
        .Bool(CKA.SIGN, false).Bool(CKA.VERIFY, false)
        .Text(CKA.LABEL, "cloud_integration_tool ephemeral key");

    /// <summary>
    /// A secret key whose value the tool chose, as a session object, for the known-answer tests only: the wrapping
    /// key (<paramref name="wrap"/>) or the key wrapped. Public session objects need no login (`info` runs without one).
    /// </summary>
    public static AttributeTemplate KnownSecret(nuint keyType, byte[] value, bool wrap) => new AttributeTemplate()
        .Ulong(CKA.CLASS, CKO.SECRET_KEY).Ulong(CKA.KEY_TYPE, keyType)
        .Bool(CKA.TOKEN, false).Bool(CKA.PRIVATE, false).Bool(CKA.SENSITIVE, true).Bool(CKA.EXTRACTABLE, true)
        .Bool(CKA.WRAP, wrap).Bool(CKA.UNWRAP, false).Bool(CKA.ENCRYPT, false).Bool(CKA.DECRYPT, false)
        .Bytes(CKA.VALUE, value).Text(CKA.LABEL, "cloud_integration_tool known-answer test");

    /// <summary>Attributes a key template sends that a token need not know for the key to be made as asked.</summary>
    static readonly HashSet<nuint> Essential =
        [CKA.CLASS, CKA.KEY_TYPE, CKA.TOKEN, CKA.LABEL, CKA.ID, CKA.SENSITIVE, CKA.VALUE_LEN, CKA.MODULUS_BITS, CKA.PUBLIC_EXPONENT, CKA.EC_PARAMS];

    /// <summary>The attributes of a family's key templates a token may refuse, named when it refuses the template.</summary>
    public static IReadOnlyList<nuint> Optional(KeyFamily family)
    {
        var name = KeyName.Parse("template");
        var id = new byte[IdLength];
        var secret = family is KeyFamily.Aes or KeyFamily.Hmac;
        using var first = secret ? SecretKey(family == KeyFamily.Aes ? CKK.AES : CKK.GENERIC_SECRET, name, id, 32)
                                 : PrivateKey(family == KeyFamily.Rsa ? CKK.RSA : CKK.EC, name, id);
        using var second = family == KeyFamily.Rsa ? RsaPublic(name, id, 2048) : EcPublic(name, id, "1.2.840.10045.3.1.7");
        var items = secret ? first.Items : [.. first.Items, .. second.Items];
        return [.. items.Select(i => i.Type).Where(t => !Essential.Contains(t)).Distinct()];
    }

    public static AttributeTemplate ByLabel(KeyName name) => new AttributeTemplate().Text(CKA.LABEL, name.Value);

    public static AttributeTemplate ByClass(nuint keyClass) => new AttributeTemplate().Ulong(CKA.CLASS, keyClass);

    public static AttributeTemplate ById(byte[] id, nuint? keyClass = null)
    {
        var t = new AttributeTemplate().Bytes(CKA.ID, id);
        return keyClass is { } c ? t.Ulong(CKA.CLASS, c) : t;
    }
}
