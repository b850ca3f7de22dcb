using CloudIntegration.Errors;
using CloudIntegration.Keys;
using CloudIntegration.Native.Pkcs11;
using CloudIntegration.Wrapping;

namespace CloudIntegration.KeyStores.Pkcs11;

/// <summary>
/// The wrapping constructions done by the token with C_WrapKey, so the target key's plaintext never leaves it. Which
/// construction runs is decided by known answers (<see cref="KnownAnswers"/>), never by a mechanism's name: the
/// specification's CKM_AES_KEY_WRAP_PAD is RFC 3394 over PKCS#7 padding (NSS), SoftHSM 2.6.1's is RFC 5649 with a
/// wrong length for keys that are not a multiple of 8 bytes, and only CKM_AES_KEY_WRAP_KWP is RFC 5649 by definition.
/// Nothing here falls back to software.
/// </summary>
sealed class TokenWrapping(Pkcs11Session session)
{
    readonly Dictionary<(WrapRequest, int), TokenConstruction> _proven = [];

    /// <summary>
    /// Proves the construction for <paramref name="rehearsal"/> on throwaway session keys and remembers it. Throws the
    /// token's refusal, or a runtime error listing what each candidate produced, when none is exactly right.
    /// </summary>
    public TokenConstruction Prove(WrapRehearsal rehearsal, string where)
    {
        var request = rehearsal.Request;
        var length = RehearsalLength(rehearsal.Target);
        if (_proven.TryGetValue((request, length), out var known)) return known;
        using var answers = new KnownAnswers(session);
        var construction = Choose(answers, request, rehearsal.Target, where);
        if (request.IncludeSha256Digest && answers.Sha256() is { Proven: false } digest)
        {
            throw RuntimeErrors.Pkcs11WrapUnproven(where, rehearsal.Target.Name, "SHA-256 of the key", [digest.Text]);
        }
        // The provider's own key must be accepted too (its size, its exponent); only the token's refusal can show here.
        using var throwaway = KeyTemplates.EphemeralAes(privateObject: false);
        var probe = session.GenerateKey(Mechanism.Of(CKM.AES_KEY_GEN), throwaway);
        try
        {
            Run(construction, probe, request);
        }
        finally
        {
            TryDestroy(probe);
        }
        return _proven[(request, length)] = construction;
    }

    static TokenConstruction Choose(KnownAnswers answers, WrapRequest request, KeyType target, string where)
    {
        var rsaPart = PaddingMechanism(request.Padding);
        var padding = request.Padding;
        if (request.Construction == WrapConstruction.DirectRsa)
        {
            var direct = answers.Rsa(rsaPart, padding);
            if (!direct.Proven) throw RuntimeErrors.Pkcs11WrapUnproven(where, target.Name, request.Describe(), [direct.Text]);
            return TokenConstruction.DirectRsa;
        }
        var length = RehearsalLength(target);
        var findings = new List<string>();
        if (OneCallMechanism(request.Padding) is { } oneCallMechanism)
        {
            var oneCall = answers.OneCall(oneCallMechanism, padding, length);
            if (oneCall.Proven) return TokenConstruction.RsaAesOneCall;
            findings.Add(oneCall.Text);
        }
        // A refusal of the RSA part goes out as the token's own error, which names the mechanism and what would work.
        var rsa = answers.Rsa(rsaPart, padding);
        if (!rsa.Proven) throw RuntimeErrors.Pkcs11WrapUnproven(where, target.Name, request.Describe(), [.. findings, rsa.Text]);
        foreach (var (mechanism, construction) in new[] { (CKM.AES_KEY_WRAP_KWP, TokenConstruction.KwpAndRsa), (CKM.AES_KEY_WRAP_PAD, TokenConstruction.PadAndRsa) })
        {
            var finding = answers.AesKeyWrap(mechanism, length);
            if (finding.Proven) return construction;
            findings.Add(finding.Text);
        }
        throw RuntimeErrors.Pkcs11WrapUnproven(where, target.Name, request.Describe(), findings);
    }

    /// <summary>
    /// The target length a rehearsal proves: a raw secret's own length (SoftHSM 2.6.1's PAD is right for 32 bytes and
    /// wrong for an HMAC-SHA1 or HMAC-SHA224 key's 20 or 28), and for PKCS#8 keys a length that is not a multiple of 8.
    /// </summary>
    static int RehearsalLength(KeyType target) => target.IsAsymmetric ? KnownAnswers.OddTargetBytes : target.SecretBytes;

    /// <summary>Wraps the target with the construction the rehearsal proved for this request.</summary>
    public WrappedKey Wrap(nuint target, KeyType type, WrapRequest request, string where)
    {
        var construction = Prove(new WrapRehearsal(request, type), where);
        var ciphertext = Run(construction, target, request);
        var digest = request.IncludeSha256Digest ? session.DigestKey(Mechanism.Of(CKM.SHA256), target) : null;
        return new WrappedKey(ciphertext, digest, Describe(construction, request.Padding));
    }

    byte[] Run(TokenConstruction construction, nuint target, WrapRequest request)
    {
        using var providerTemplate = KeyTemplates.ProviderKey(request.WrappingKey);
        var providerKey = session.CreateObject(providerTemplate);
        try
        {
            return construction switch
            {
                TokenConstruction.DirectRsa => session.WrapKey(PaddingMechanism(request.Padding), providerKey, target),
                TokenConstruction.RsaAesOneCall => session.WrapKey(OneCallMechanism(request.Padding)!, providerKey, target),
                TokenConstruction.KwpAndRsa => TwoCalls(providerKey, target, request.Padding, CKM.AES_KEY_WRAP_KWP),
                TokenConstruction.PadAndRsa => TwoCalls(providerKey, target, request.Padding, CKM.AES_KEY_WRAP_PAD),
                _ => throw new ArgumentOutOfRangeException(nameof(construction), construction, "unknown construction"),
            };
        }
        finally
        {
            TryDestroy(providerKey);
        }
    }

    /// <summary>The RSA-AES bytes from two wraps inside the token: an ephemeral AES-256 session key wrapped with RSA, then the target with it.</summary>
    byte[] TwoCalls(nuint providerKey, nuint target, RsaPadding padding, nuint keyWrap)
    {
        using var template = KeyTemplates.EphemeralAes(privateObject: true);
        var ephemeral = session.GenerateKey(Mechanism.Of(CKM.AES_KEY_GEN), template);
        try
        {
            var head = session.WrapKey(PaddingMechanism(padding), providerKey, ephemeral);
            var tail = session.WrapKey(Mechanism.Of(keyWrap), ephemeral, target);
            return [.. head, .. tail];
        }
        finally
        {
            TryDestroy(ephemeral);
        }
    }

    /// <summary>What the summary, --json and the audit record say ran.</summary>
    public static string Describe(TokenConstruction construction, RsaPadding padding) => construction switch
    {
        TokenConstruction.DirectRsa => $"{CKM.Name(PaddingMechanism(padding).Type)} in the token",
        TokenConstruction.RsaAesOneCall => "CKM_RSA_AES_KEY_WRAP in one call in the token",
        TokenConstruction.KwpAndRsa => $"CKM_AES_KEY_WRAP_KWP + {CKM.Name(PaddingMechanism(padding).Type)} in the token",
        TokenConstruction.PadAndRsa => $"CKM_AES_KEY_WRAP_PAD (proven RFC 5649) + {CKM.Name(PaddingMechanism(padding).Type)} in the token",
        _ => throw new ArgumentOutOfRangeException(nameof(construction), construction, "unknown construction"),
    };

    /// <summary>The padding's own PKCS#11 parameters: OAEP with its hash for both OAEP and MGF1, else PKCS#1 v1.5.</summary>
    public static Mechanism PaddingMechanism(RsaPadding padding) => padding.Oaep is { } hash
        ? Mechanism.Oaep((nuint)hash.Pkcs11Mechanism, (nuint)hash.Pkcs11Mgf)
        : Mechanism.Of(CKM.RSA_PKCS);

    /// <summary>CKM_RSA_AES_KEY_WRAP with the padding's OAEP parameters; null for a padding that is not OAEP.</summary>
    public static Mechanism? OneCallMechanism(RsaPadding padding) => padding.Oaep is { } hash
        ? Mechanism.RsaAesKeyWrap(256, (nuint)hash.Pkcs11Mechanism, (nuint)hash.Pkcs11Mgf)
        : null;

    /// <summary>
    /// Which of <paramref name="candidates"/> this token can do with this provider key, found by wrapping a throwaway
    /// session AES key (never the target). Used to say what would work after the token refused the requested one.
    /// </summary>
    public IReadOnlyList<WrapAlgorithm> WorkingAlgorithms(WrapRequest request, IEnumerable<WrapAlgorithm> candidates)
    {
        var working = new List<WrapAlgorithm>();
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
