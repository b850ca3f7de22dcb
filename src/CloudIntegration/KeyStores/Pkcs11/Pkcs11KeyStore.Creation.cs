using CloudIntegration.Errors;
using CloudIntegration.Keys;
using CloudIntegration.Native.Pkcs11;

namespace CloudIntegration.KeyStores.Pkcs11;

/// <summary>"Find, else generate": the host lock, the race settlement with creators on other hosts, and key generation.</summary>
public sealed partial class Pkcs11KeyStore
{
    (KeyRecord, bool) GetOrGenerateCore(KeyName name, KeyType type)
    {
        using var hostLock = HostLock.Acquire(_token.Token.Serial, name.Value);
        // Processes on other hosts (a shared network HSM) are not held by the host lock; the token settles who creates.
        for (var attempt = 1; ; attempt++)
        {
            if (FindCore(name) is { } existing) return (existing, false);
            if (attempt > RaceSettlement.MostAttempts) throw RuntimeErrors.Pkcs11CreationContended(name.Value, Where, RaceSettlement.MostAttempts);
            if (Create(name, type) is { } created) return (created, true);
            RaceSettlement.BackOff(attempt);
        }
    }

    /// <summary>
    /// Generates a fresh key and settles it if it is alone under its name; null if another key of the name is there,
    /// in which case the fresh key is destroyed again. A token that will not change CKA_ID gets a settled key at once
    /// (<see cref="CreateUnmarkable"/>).
    /// </summary>
    KeyRecord? Create(KeyName name, KeyType type)
    {
        if (_unmarkable is not null) return CreateUnmarkable(name, type);
        var fresh = KeyTemplates.NewId(DateTimeOffset.UtcNow);
        var made = Generate(name, type, fresh);
        var settled = KeyTemplates.Settled(fresh);
        try
        {
            // Read before settling: once settled, another host may export the key, so it is never destroyed after that.
            TokenKeys.Record(_session, made, name, _options.Protection, Where);
            if (!RaceSettlement.Alone(TokenKeys.ByLabel(_session, name), made))
            {
                DestroyParts(fresh);
                return null;
            }
            if (TokenKeys.PublicHalf(_session, fresh) is { } publicHalf) SetId(publicHalf, settled);
            SetId(made.Handle, settled);
        }
        catch (Pkcs11Exception e) when (e.Function == "C_SetAttributeValue" && e.ReturnValue is CKR.ATTRIBUTE_READ_ONLY or
                                            CKR.ACTION_PROHIBITED or CKR.FUNCTION_NOT_SUPPORTED or CKR.ATTRIBUTE_VALUE_INVALID)
        {
            DestroyQuietly(fresh, settled);
            _unmarkable = e.Message;
            _options.Diagnostics.Warn($"{Where} does not let a key's CKA_ID change ({e.Message}), so a new key cannot be settled on " +
                                      "the token: it is made with only this host's lock, and an export of the same name from another " +
                                      "host at the same moment may leave two keys (docs/pkcs11.md, \"Several hosts\")");
            return CreateUnmarkable(name, type);
        }
        catch
        {
            DestroyQuietly(fresh, settled);
            throw;
        }
        return TokenKeys.Record(_session, made with { Id = settled }, name, _options.Protection, Where);
    }

    /// <summary>Why this token cannot settle keys (it refused to change CKA_ID), once it has said so; else null.</summary>
    string? _unmarkable;

    /// <summary>
    /// The fallback for a token that refuses a new CKA_ID: the key is generated settled and kept only if it is alone
    /// under its name right after. Creators on other hosts whose keys overlap in time may both keep theirs, or a finder
    /// may export a key that its creator then destroys; the warning says so.
    /// </summary>
    KeyRecord? CreateUnmarkable(KeyName name, KeyType type)
    {
        var id = KeyTemplates.Settled(KeyTemplates.NewId(DateTimeOffset.UtcNow));
        var made = Generate(name, type, id);
        try
        {
            var record = TokenKeys.Record(_session, made, name, _options.Protection, Where);
            if (RaceSettlement.Alone(TokenKeys.ByLabel(_session, name), made)) return record;
            DestroyParts(id);
            return null;
        }
        catch
        {
            DestroyQuietly(id);
            throw;
        }
    }

    void SetId(nuint handle, byte[] id)
    {
        using var template = KeyTemplates.ById(id);
        _session.SetAttributes(handle, template);
    }

    /// <summary>Removes what a failed creation left (under either id: the public half may already be settled); the first error stands.</summary>
    void DestroyQuietly(params byte[][] ids)
    {
        foreach (var id in ids)
        {
            try
            {
                DestroyParts(id);
            }
            catch (Pkcs11Exception)
            {
            }
        }
    }

    TokenObject Generate(KeyName name, KeyType type, byte[] id)
    {
        try
        {
            return GenerateCore(name, type, id);
        }
        catch (Pkcs11Exception e) when (e.ReturnValue is CKR.DOMAIN_PARAMS_INVALID or CKR.CURVE_NOT_SUPPORTED && type.CurveOid is not null)
        {
            throw RuntimeErrors.Pkcs11CurveUnsupported(Where, CurveName(type), e.Message, e);
        }
        catch (Pkcs11Exception e) when (e.ReturnValue is CKR.ATTRIBUTE_TYPE_INVALID or CKR.ATTRIBUTE_VALUE_INVALID or CKR.TEMPLATE_INCONSISTENT)
        {
            throw RuntimeErrors.Pkcs11TemplateRefused(Where, e.Message, KeyTemplates.Optional(type.Family).Select(CKA.Name), e);
        }
    }

    /// <summary>"secp256k1" for EC-SECP256K1: the curve as users and vendors name it.</summary>
    static string CurveName(KeyType type) => type.Name.StartsWith("EC-", StringComparison.Ordinal) ? type.Name[3..].ToLowerInvariant() : type.Name;

    TokenObject GenerateCore(KeyName name, KeyType type, byte[] id)
    {
        switch (type.Family)
        {
            case KeyFamily.Aes:
            {
                using var template = KeyTemplates.AesKey(name, id, type.Bits / 8);
                return new TokenObject(_session.GenerateKey(Mechanism.Of(CKM.AES_KEY_GEN), template), CKO.SECRET_KEY, id);
            }
            case KeyFamily.Rsa:
            {
                using var publicTemplate = KeyTemplates.RsaPublic(name, id, type.Bits);
                using var privateTemplate = KeyTemplates.PrivateKey(CKK.RSA, name, id);
                var (_, privateKey) = _session.GenerateKeyPair(Mechanism.Of(CKM.RSA_PKCS_KEY_PAIR_GEN), publicTemplate, privateTemplate);
                return new TokenObject(privateKey, CKO.PRIVATE_KEY, id);
            }
            case KeyFamily.Ec:
            {
                using var publicTemplate = KeyTemplates.EcPublic(name, id, type.CurveOid!);
                using var privateTemplate = KeyTemplates.PrivateKey(CKK.EC, name, id);
                var (_, privateKey) = _session.GenerateKeyPair(Mechanism.Of(CKM.EC_KEY_PAIR_GEN), publicTemplate, privateTemplate);
                return new TokenObject(privateKey, CKO.PRIVATE_KEY, id);
            }
            case KeyFamily.Hmac:
            {
                using var template = KeyTemplates.HmacKey(name, id, type.SecretBytes);
                return new TokenObject(_session.GenerateKey(Mechanism.Of(CKM.GENERIC_SECRET_KEY_GEN), template), CKO.SECRET_KEY, id);
            }
            case KeyFamily.Ed25519:
                // SoftHSM 2.6.1 generates Ed25519 pairs but refuses to wrap the private half (CKR_KEY_NOT_WRAPPABLE); NSS
                // 3.87 has no CKM_EC_EDWARDS_KEY_PAIR_GEN (CKR_MECHANISM_INVALID). See docs/pkcs11.md.
                throw RuntimeErrors.TokenKeyTypeNotSupported(type.Name, Where);
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type.Family, "unknown key family");
        }
    }
}
