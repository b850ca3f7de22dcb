using CloudIntegration.Errors;
using CloudIntegration.Keys;
using CloudIntegration.Native.Pkcs11;
using CloudIntegration.Wrapping;

namespace CloudIntegration.KeyStores.Pkcs11;

/// <summary>
/// The wrapping constructions done by the token with C_WrapKey, so the target key's plaintext never leaves it. When
/// the token refuses a mechanism or a parameter the call fails; nothing here falls back to software.
/// </summary>
sealed class TokenWrapping(Pkcs11Module module, Pkcs11Session session, nuint slot)
{
    /// <summary>Set by the last <see cref="Wrap"/>: whether the RFC 5649 part was computed by CKM_AES_KEY_WRAP_PAD.</summary>
    public bool UsedTokenKeyWrapPad { get; private set; }

    public WrappedKey Wrap(nuint target, KeyType type, WrapRequest request)
    {
        UsedTokenKeyWrapPad = false;
        using var providerTemplate = KeyTemplates.ProviderKey(request.WrappingKey);
        var providerKey = session.CreateObject(providerTemplate);
        try
        {
            byte[] ciphertext;
            if (request.Construction == WrapConstruction.DirectRsa)
            {
                if (type.Family != KeyFamily.Aes) throw RuntimeErrors.Runtime($"a {type.Name} key cannot be wrapped directly with RSA; only AES keys can");
                ciphertext = session.WrapKey(PaddingMechanism(request.Padding), providerKey, target);
            }
            else
            {
                ciphertext = RsaAesKeyWrap(providerKey, target, request.Padding);
            }
            var digest = request.IncludeSha256Digest ? session.DigestKey(Mechanism.Of(CKM.SHA256), target) : null;
            return new WrappedKey(ciphertext, digest);
        }
        finally
        {
            TryDestroy(providerKey);
        }
    }

    /// <summary>
    /// Runs the whole construction on a throwaway session AES key, so that a mechanism or parameter the token refuses
    /// is found before a key is generated for nothing.
    /// </summary>
    public void Rehearse(WrapRequest request)
    {
        using var template = KeyTemplates.EphemeralAes(privateObject: true);
        var throwaway = session.GenerateKey(Mechanism.Of(CKM.AES_KEY_GEN), template);
        try
        {
            Wrap(throwaway, KeyType.Aes256, request);
        }
        finally
        {
            TryDestroy(throwaway);
        }
    }

    /// <summary>
    /// CKM_RSA_AES_KEY_WRAP where the token has it. Otherwise the same bytes from two wraps inside the token: an
    /// ephemeral AES-256 session key wrapped with RSA, then the target wrapped with that key by RFC 5649.
    /// </summary>
    byte[] RsaAesKeyWrap(nuint providerKey, nuint target, RsaPadding padding)
    {
        if (padding.Oaep is { } hash && module.GetMechanismInfo(slot, CKM.RSA_AES_KEY_WRAP) is { } info && info.Can(CKF.WRAP))
        {
            return session.WrapKey(Mechanism.RsaAesKeyWrap(256, (nuint)hash.Pkcs11Mechanism, (nuint)hash.Pkcs11Mgf), providerKey, target);
        }
        using var template = KeyTemplates.EphemeralAes(privateObject: true);
        var ephemeral = session.GenerateKey(Mechanism.Of(CKM.AES_KEY_GEN), template);
        try
        {
            // The RSA part first: it is the step a token is most likely to refuse (SoftHSM: OAEP with SHA-1 only).
            var head = session.WrapKey(PaddingMechanism(padding), providerKey, ephemeral);
            var tail = session.WrapKey(Mechanism.Of(CKM.AES_KEY_WRAP_PAD), ephemeral, target);
            UsedTokenKeyWrapPad = true;
            return [.. head, .. tail];
        }
        finally
        {
            TryDestroy(ephemeral);
        }
    }

    /// <summary>The padding's own PKCS#11 parameters: OAEP with its hash for both OAEP and MGF1, else PKCS#1 v1.5.</summary>
    public static Mechanism PaddingMechanism(RsaPadding padding) => padding.Oaep is { } hash
        ? Mechanism.Oaep((nuint)hash.Pkcs11Mechanism, (nuint)hash.Pkcs11Mgf)
        : Mechanism.Of(CKM.RSA_PKCS);

    /// <summary>
    /// Which of <paramref name="candidates"/> this token can do with this provider key, found by wrapping a throwaway
    /// session AES key (never the target). Used to say what would work after the token refused the requested one.
    /// </summary>
    public IReadOnlyList<WrapAlgorithm> WorkingAlgorithms(WrapRequest request, IEnumerable<WrapAlgorithm> candidates)
    {
        var working = new List<WrapAlgorithm>();
        if (request.Construction == WrapConstruction.RsaAesKeyWrap &&
            module.GetMechanismInfo(slot, CKM.AES_KEY_WRAP_PAD) is null && module.GetMechanismInfo(slot, CKM.RSA_AES_KEY_WRAP) is null)
        {
            return working;
        }
        try
        {
            using var providerTemplate = KeyTemplates.ProviderKey(request.WrappingKey);
            using var throwawayTemplate = KeyTemplates.EphemeralAes(privateObject: true);
            var providerKey = session.CreateObject(providerTemplate);
            var throwaway = session.GenerateKey(Mechanism.Of(CKM.AES_KEY_GEN), throwawayTemplate);
            try
            {
                foreach (var algorithm in candidates)
                {
                    if (TryWrap(session, PaddingMechanism(algorithm.Padding), providerKey, throwaway) is null) working.Add(algorithm);
                }
            }
            finally
            {
                TryDestroy(throwaway);
                TryDestroy(providerKey);
            }
        }
        catch (Pkcs11Exception)
        {
            // Probing is advice for an error message; a token that will not even create the probe objects gets none.
        }
        return working;
    }

    /// <summary>Null when the token wraps with the mechanism, else the CKR_ name of its refusal.</summary>
    public static string? TryWrap(Pkcs11Session session, Mechanism mechanism, nuint wrappingKey, nuint key)
    {
        try
        {
            session.WrapKey(mechanism, wrappingKey, key);
            return null;
        }
        catch (Pkcs11Exception e)
        {
            return e.ReturnName;
        }
    }

    /// <summary>
    /// Session objects vanish with the session anyway, so a failed destroy must not replace the error that is already
    /// on its way out.
    /// </summary>
    void TryDestroy(nuint handle)
    {
        try
        {
            session.DestroyObject(handle);
        }
        catch (Pkcs11Exception)
        {
        }
    }
}
