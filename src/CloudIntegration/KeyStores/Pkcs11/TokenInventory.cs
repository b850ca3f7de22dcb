using CloudIntegration.Wrapping;
using CloudIntegration.Native.Pkcs11;

namespace CloudIntegration.KeyStores.Pkcs11;

/// <summary>One mechanism the tool needs, what it is for, and whether the token has it.</summary>
public sealed record MechanismReport(string Name, string Use, bool Supported, string Status);

/// <summary>
/// A slot, its token if one is present, the token's module number if it is initialized, its mechanisms, and what the
/// known-answer tests found (test, result), which is what an export will trust.
/// </summary>
public sealed record SlotReport(ulong Id, string Description, TokenReport? Token, int? Position, IReadOnlyList<MechanismReport> Mechanisms,
                                IReadOnlyList<(string Test, string Result)> KnownAnswers);

/// <summary>A token as C_GetTokenInfo describes it, in the words `info` prints (the binding's types stay in this layer).</summary>
public sealed record TokenReport(string Label, string Serial, string Model, string Manufacturer, bool IsInitialized, bool IsWriteProtected,
                                 TokenLogin Login);

/// <summary>How a user logs in to a token, from its flags.</summary>
public enum TokenLogin { NotRequired, UserPin, PinPad, UserPinLocked }

/// <summary>A library as C_GetInfo describes it, and its slots.</summary>
public sealed record LibraryReport(string Path, string Manufacturer, string Description, string LibraryVersion, string CryptokiVersion,
                                   IReadOnlyList<SlotReport> Slots);

/// <summary>
/// What the `info` command shows about a PKCS#11 library, read without logging in. Each token's wrapping mechanisms are
/// put through the same known-answer tests an export runs (<see cref="KnownAnswers"/>), on public session objects
/// whose values the tool chose: no key on the token is touched and nothing outlives the session.
/// </summary>
public static class TokenInventory
{
    static readonly (nuint Mechanism, nuint Flag, string Use)[] Needed =
    [
        (CKM.RSA_PKCS_OAEP, CKF.WRAP, "RSAES_OAEP_SHA_1 / RSAES_OAEP_SHA_256, and the RSA part of RSA-AES"),
        (CKM.RSA_PKCS, CKF.WRAP, "RSAES_PKCS1_V1_5"),
        (CKM.RSA_AES_KEY_WRAP, CKF.WRAP, "RSA-AES key wrap in one call (Google Cloud KMS, Azure)"),
        (CKM.AES_KEY_WRAP_KWP, CKF.WRAP, "RFC 5649 part of RSA-AES when built in the token"),
        (CKM.AES_KEY_WRAP_PAD, CKF.WRAP, "RFC 5649 part of RSA-AES, where proven to be RFC 5649"),
        (CKM.AES_KEY_GEN, CKF.GENERATE, "AES-256 keys, and the ephemeral key of RSA-AES"),
        (CKM.RSA_PKCS_KEY_PAIR_GEN, CKF.GENERATE_KEY_PAIR, "RSA-2048/3072/4096 keys"),
        (CKM.EC_KEY_PAIR_GEN, CKF.GENERATE_KEY_PAIR, "EC keys (P-256, P-384, P-521, secp256k1)"),
        (CKM.GENERIC_SECRET_KEY_GEN, CKF.GENERATE, "HMAC keys (generic secrets of the hash's output length)"),
        (CKM.SHA256, CKF.DIGEST, "Salesforce's SHA-256 of the tenant secret (C_DigestKey)"),
    ];

    /// <summary>The mechanism names and uses, for the embedded world's listing too.</summary>
    public static IEnumerable<(string Name, string Use)> NeededMechanisms => Needed.Select(n => (CKM.Name(n.Mechanism), n.Use));

    public static LibraryReport Survey(string libraryPath, string? initArgs = null) =>
        Pkcs11Errors.Translate($"PKCS#11 library {libraryPath}", () => SurveyCore(libraryPath, initArgs));

    static LibraryReport SurveyCore(string libraryPath, string? initArgs)
    {
        using var module = Pkcs11Module.Load(libraryPath, initArgs);
        var positions = TokenSelection.Initialized(module).ToDictionary(t => t.Token.SlotId, t => t.Position);
        var slots = new List<SlotReport>();
        foreach (var slot in module.GetSlots(tokenPresent: false))
        {
            var slotInfo = module.GetSlotInfo(slot);
            var token = (slotInfo.Flags & CKF.TOKEN_PRESENT) != 0 ? module.GetTokenInfo(slot) : null;
            var initialized = token is { IsInitialized: true };
            var answers = initialized ? KnownAnswerResults(module, slot) : [];
            var mechanisms = initialized ? Mechanisms(module, slot, answers) : [];
            slots.Add(new SlotReport(slotInfo.Id, slotInfo.Description, token is null ? null : Report(token),
                                     positions.TryGetValue(slot, out var p) ? p : null, mechanisms, answers));
        }
        var info = module.GetInfo();
        return new LibraryReport(libraryPath, info.Manufacturer, info.Description, info.LibraryVersion.ToString(), info.CryptokiVersion, slots);
    }

    static TokenReport Report(TokenInfo token) => new(token.Label, token.Serial, token.Model, token.Manufacturer, token.IsInitialized,
        token.IsWriteProtected,
        !token.LoginRequired ? TokenLogin.NotRequired
        : token.HasPinPad ? TokenLogin.PinPad
        : (token.Flags & CKF.USER_PIN_LOCKED) != 0 ? TokenLogin.UserPinLocked
        : TokenLogin.UserPin);

    static List<MechanismReport> Mechanisms(Pkcs11Module module, nuint slot, IReadOnlyList<(string Test, string Result)> answers)
    {
        var reports = new List<MechanismReport>();
        foreach (var (mechanism, flag, use) in Needed)
        {
            var info = module.GetMechanismInfo(slot, mechanism);
            var supported = info is not null && info.Can(flag);
            var status = info is null ? "not listed"
                : !supported ? $"listed, but not for {FlagName(flag)}"
                : info.MaxKeySize is > 0 and < 1 << 20 ? $"listed (key sizes {info.MinKeySize}-{info.MaxKeySize})"
                : "listed";
            if (mechanism == CKM.SHA256 && !supported && answers.Any(a => a.Test == DigestTest && a.Result.StartsWith(Proven, StringComparison.Ordinal)))
            {
                status += ", but C_DigestKey with it is proven (the list is not trusted)";
                supported = true;
            }
            reports.Add(new MechanismReport(CKM.Name(mechanism), use, supported, status));
        }
        return reports;
    }

    static string FlagName(nuint flag) => flag switch
    {
        CKF.WRAP => "wrapping",
        CKF.GENERATE => "key generation",
        CKF.GENERATE_KEY_PAIR => "key pair generation",
        CKF.DIGEST => "digests",
        _ => throw new ArgumentOutOfRangeException(nameof(flag), flag, "unknown mechanism flag"),
    };

    /// <summary>The known-answer tests an export may run, each on its own, so that one refusal hides nothing else.</summary>
    static List<(string Test, string Result)> KnownAnswerResults(Pkcs11Module module, nuint slot)
    {
        var results = new List<(string, string)>();
        try
        {
            using var session = module.OpenSession(slot);
            using var answers = new KnownAnswers(session);
            foreach (var padding in RsaPadding.All)
            {
                results.Add((padding.Description, Attempt(() => answers.Rsa(TokenWrapping.PaddingMechanism(padding), padding))));
            }
            foreach (var bytes in new[] { KnownAnswers.AesTargetBytes, KnownAnswers.OddTargetBytes })
            {
                var what = bytes == KnownAnswers.AesTargetBytes ? "AES-256 targets" : "RSA and EC targets (PKCS#8, any length)";
                results.Add(($"CKM_RSA_AES_KEY_WRAP, {what}",
                             Attempt(() => answers.OneCall(TokenWrapping.OneCallMechanism(RsaPadding.OaepSha256)!, RsaPadding.OaepSha256, bytes))));
                results.Add(($"CKM_AES_KEY_WRAP_KWP, {what}", Attempt(() => answers.AesKeyWrap(CKM.AES_KEY_WRAP_KWP, bytes))));
                results.Add(($"CKM_AES_KEY_WRAP_PAD, {what}", Attempt(() => answers.AesKeyWrap(CKM.AES_KEY_WRAP_PAD, bytes))));
            }
            results.Add((DigestTest, Attempt(answers.Sha256)));
        }
        catch (Pkcs11Exception e)
        {
            // Some tokens allow no session objects before login; then nothing is claimed rather than guessed.
            results.Add(("known-answer tests", $"not run ({e.Message}); an export runs them after login"));
        }
        return results;
    }

    const string DigestTest = "SHA-256 of a key (C_DigestKey)";
    const string Proven = "proven";

    static string Attempt(Func<Finding> test)
    {
        try
        {
            var finding = test();
            return finding.Proven ? Proven : "not trusted: " + finding.Text;
        }
        catch (Pkcs11Exception e)
        {
            return $"refused ({e.Message})";
        }
    }
}
