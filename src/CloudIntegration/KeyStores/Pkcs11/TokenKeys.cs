using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using CloudIntegration.Errors;
using CloudIntegration.Keys;
using CloudIntegration.Native.Pkcs11;

namespace CloudIntegration.KeyStores.Pkcs11;

/// <summary>A secret or private key object found on the token, with what identifies it.</summary>
sealed record TokenObject(nuint Handle, nuint Class, byte[]? Id)
{
    public string IdHex => Id is null ? "" : Convert.ToHexStringLower(Id);
}

/// <summary>
/// Finds keys on the token and describes them as <see cref="KeyRecord"/>s from their public attributes only: the key
/// type from CKA_KEY_TYPE and sizes, the SubjectPublicKeyInfo from the modulus and exponent or the curve and point,
/// the AES check value from CKA_CHECK_VALUE, an HMAC key's hash from its length. Nothing sensitive is ever asked for.
/// </summary>
static class TokenKeys
{
    /// <summary>The secret and private key objects labelled with the key name (public halves are found by CKA_ID).</summary>
    public static List<TokenObject> ByLabel(Pkcs11Session session, KeyName name)
    {
        using var template = KeyTemplates.ByLabel(name);
        return Describe(session, session.FindObjects(template));
    }

    /// <summary>Every secret and private key carrying this tool's marker.</summary>
    public static List<TokenObject> Ours(Pkcs11Session session)
    {
        var found = new List<TokenObject>();
        foreach (var keyClass in new[] { CKO.SECRET_KEY, CKO.PRIVATE_KEY })
        {
            using var template = KeyTemplates.ByClass(keyClass);
            found.AddRange(Describe(session, session.FindObjects(template)).Where(o => KeyTemplates.IsOurs(o.Id)));
        }
        return found;
    }

    /// <summary>
    /// The found objects' class and id. An object another process destroys between the search and the read (a creator
    /// that lost a race, see RaceSettlement) is gone, not an error: it is left out.
    /// </summary>
    static List<TokenObject> Describe(Pkcs11Session session, IReadOnlyList<nuint> handles)
    {
        var described = new List<TokenObject>();
        foreach (var handle in handles)
        {
            try
            {
                var keyClass = session.GetUlong(handle, CKA.CLASS) ?? CKO.DATA;
                if (keyClass is CKO.SECRET_KEY or CKO.PRIVATE_KEY) described.Add(new TokenObject(handle, keyClass, session.GetAttribute(handle, CKA.ID)));
            }
            catch (Pkcs11Exception e) when (e.ReturnValue == CKR.OBJECT_HANDLE_INVALID)
            {
            }
        }
        return described;
    }


    /// <summary>Every object sharing the key's CKA_ID: the secret key, or both halves of a pair.</summary>
    public static IReadOnlyList<nuint> AllParts(Pkcs11Session session, byte[] id)
    {
        using var template = KeyTemplates.ById(id);
        return session.FindObjects(template);
    }

    public static KeyRecord Record(Pkcs11Session session, TokenObject key, KeyName name, Protection protection, string token)
    {
        var id = key.Id!;
        var location = $"{token}, CKA_ID {key.IdHex}";
        var keyType = session.GetUlong(key.Handle, CKA.KEY_TYPE);
        KeyType type;
        byte[]? publicKey = null;
        byte[]? checkValue = null;
        switch (keyType)
        {
            case CKK.AES when key.Class == CKO.SECRET_KEY:
                var length = session.GetUlong(key.Handle, CKA.VALUE_LEN);
                type = length switch { 16 => KeyType.Aes128, 24 => KeyType.Aes192, 32 => KeyType.Aes256, _ => throw Unsupported(name, token, $"an AES key of {length} bytes") };
                checkValue = session.GetAttribute(key.Handle, CKA.CHECK_VALUE) is { Length: >= 3 } kcv ? kcv[..3] : null;
                break;
            case CKK.GENERIC_SECRET when key.Class == CKO.SECRET_KEY:
                // An HMAC key is as long as its hash's output, so the length names the hash. Its check value would need
                // CKA_SIGN, which the token copy never has; the token's own CKA_CHECK_VALUE (SHA-1 based) is another thing.
                var secretLength = session.GetUlong(key.Handle, CKA.VALUE_LEN);
                type = KeyType.All.FirstOrDefault(t => t.Family == KeyFamily.Hmac && (nuint)t.SecretBytes == secretLength)
                       ?? throw Unsupported(name, token, $"a generic secret of {secretLength} bytes");
                break;
            case CKK.RSA when key.Class == CKO.PRIVATE_KEY:
                (type, publicKey) = Rsa(session, key, name, token);
                break;
            case CKK.EC when key.Class == CKO.PRIVATE_KEY:
                (type, publicKey) = Ec(session, key, name, token);
                break;
            default:
                throw Unsupported(name, token, $"a key of CKA_KEY_TYPE 0x{(ulong)(keyType ?? 0):x}");
        }
        return new KeyRecord(name, type, protection, Convert.ToHexStringLower(id), KeyTemplates.CreatedFrom(id), publicKey, checkValue, location);
    }

    static (KeyType, byte[]) Rsa(Pkcs11Session session, TokenObject key, KeyName name, string token)
    {
        // The modulus and exponent are public; tokens keep them on the private half too, and the public half may be gone.
        var publicHalf = PublicHalf(session, key.Id!);
        var modulus = Read(session, publicHalf, key.Handle, CKA.MODULUS);
        var exponent = Read(session, publicHalf, key.Handle, CKA.PUBLIC_EXPONENT);
        if (modulus is null || exponent is null) throw Incomplete(name, token, "its RSA modulus or public exponent cannot be read");
        modulus = modulus.AsSpan().TrimStart((byte)0).ToArray();
        var bits = (int)new BigInteger(modulus, isUnsigned: true, isBigEndian: true).GetBitLength();
        var type = KeyType.Find($"RSA-{bits}") ?? throw Unsupported(name, token, $"an RSA-{bits} key");
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = modulus, Exponent = exponent.AsSpan().TrimStart((byte)0).ToArray() });
        return (type, rsa.ExportSubjectPublicKeyInfo());
    }

    static (KeyType, byte[]) Ec(Pkcs11Session session, TokenObject key, KeyName name, string token)
    {
        var publicHalf = PublicHalf(session, key.Id!);
        var parameters = Read(session, publicHalf, key.Handle, CKA.EC_PARAMS);
        var type = parameters is null ? null : KeyType.All.FirstOrDefault(t => t.CurveOid is { } oid && KeyTemplates.NamedCurve(oid).AsSpan().SequenceEqual(parameters));
        if (type is null) throw Unsupported(name, token, "an EC key on a curve this tool does not export");
        // The point lives only on the public half; without it the public key cannot be known.
        var encoded = publicHalf is { } h ? session.GetAttribute(h, CKA.EC_POINT) : null;
        if (encoded is null) throw Incomplete(name, token, "its public half (with CKA_EC_POINT) is missing");
        var fieldBytes = (type.Bits + 7) / 8;
        var point = UncompressedPoint(encoded, fieldBytes) ?? throw Incomplete(name, token, "its CKA_EC_POINT is not an uncompressed point");
        using var ec = ECDsa.Create();
        ec.ImportParameters(new ECParameters
        {
            Curve = type.Curve,
            Q = new ECPoint { X = point[1..(1 + fieldBytes)], Y = point[(1 + fieldBytes)..] },
        });
        return (type, ec.ExportSubjectPublicKeyInfo());
    }

    /// <summary>CKA_EC_POINT is the DER OCTET STRING around 04‖X‖Y; some older tokens give the bare point.</summary>
    static byte[]? UncompressedPoint(byte[] encoded, int fieldBytes)
    {
        var size = 1 + 2 * fieldBytes;
        if (encoded.Length == size && encoded[0] == 0x04) return encoded;
        try
        {
            var inner = AsnDecoder.ReadOctetString(encoded, AsnEncodingRules.DER, out var consumed);
            return consumed == encoded.Length && inner.Length == size && inner[0] == 0x04 ? inner : null;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    public static nuint? PublicHalf(Pkcs11Session session, byte[] id)
    {
        using var template = KeyTemplates.ById(id, CKO.PUBLIC_KEY);
        return session.FindObjects(template) is [var handle, ..] ? handle : null;
    }

    static byte[]? Read(Pkcs11Session session, nuint? preferred, nuint fallback, nuint attribute) =>
        (preferred is { } p ? session.GetAttribute(p, attribute) : null) ?? session.GetAttribute(fallback, attribute);

    static ToolError Unsupported(KeyName name, string token, string what) =>
        RuntimeErrors.Pkcs11KeyUnsupported(name.Value, token, what);

    static ToolError Incomplete(KeyName name, string token, string why) =>
        RuntimeErrors.Pkcs11KeyIncomplete(name.Value, token, why);
}
