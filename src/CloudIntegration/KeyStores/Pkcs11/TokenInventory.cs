using System.Security.Cryptography;
using CloudIntegration.Native.Pkcs11;

namespace CloudIntegration.KeyStores.Pkcs11;

/// <summary>One mechanism the tool needs, what it is for, and whether the token has it.</summary>
public sealed record MechanismReport(string Name, string Use, bool Supported, string Status);

/// <summary>A slot, its token if one is present, the token's module number if it is initialized, and its mechanisms.</summary>
public sealed record SlotReport(ulong Id, string Description, TokenReport? Token, int? Position, IReadOnlyList<MechanismReport> Mechanisms);

/// <summary>A token as C_GetTokenInfo describes it, in the words `info` prints (the binding's types stay in this layer).</summary>
public sealed record TokenReport(string Label, string Serial, string Model, string Manufacturer, bool IsInitialized, TokenLogin Login);

/// <summary>How a user logs in to a token, from its flags.</summary>
public enum TokenLogin { NotRequired, UserPin, PinPad, UserPinLocked }

/// <summary>
/// A library as C_GetInfo describes it, and its slots. <c>PadsBeforeKeyWrap</c>: see <see cref="TokenInventory.PadsBeforeKeyWrap"/>.
/// </summary>
public sealed record LibraryReport(string Path, string Manufacturer, string Description, string LibraryVersion, string CryptokiVersion,
                                   bool PadsBeforeKeyWrap, IReadOnlyList<SlotReport> Slots);

/// <summary>
/// What the `info` command shows about a PKCS#11 library, read without logging in. Whether the token accepts OAEP with
/// SHA-1 and with SHA-256 is probed by wrapping a throwaway session AES key under a throwaway RSA public key: no key on
/// the token is touched and nothing outlives the session.
/// </summary>
public static class TokenInventory
{
    static readonly (nuint Mechanism, nuint Flag, string Use)[] Needed =
    [
        (CKM.RSA_PKCS_OAEP, CKF.WRAP, "RSAES_OAEP_SHA_1 / RSAES_OAEP_SHA_256, and the RSA part of RSA-AES"),
        (CKM.RSA_PKCS, CKF.WRAP, "RSAES_PKCS1_V1_5"),
        (CKM.RSA_AES_KEY_WRAP, CKF.WRAP, "RSA-AES key wrap in one call (Google Cloud KMS, Azure)"),
        (CKM.AES_KEY_WRAP_PAD, CKF.WRAP, "RFC 5649 part of RSA-AES when built in the token"),
        (CKM.AES_KEY_GEN, CKF.GENERATE, "AES-256 keys, and the ephemeral key of RSA-AES"),
        (CKM.RSA_PKCS_KEY_PAIR_GEN, CKF.GENERATE_KEY_PAIR, "RSA-2048/3072/4096 keys"),
        (CKM.EC_KEY_PAIR_GEN, CKF.GENERATE_KEY_PAIR, "EC keys (P-256, P-384, P-521, secp256k1)"),
        (CKM.SHA256, CKF.DIGEST, "Salesforce's SHA-256 of the tenant secret (C_DigestKey)"),
    ];

    /// <summary>The mechanism names and uses, for the embedded world's listing too.</summary>
    public static IEnumerable<(string Name, string Use)> NeededMechanisms => Needed.Select(n => (CKM.Name(n.Mechanism), n.Use));

    /// <summary>SoftHSM up to 2.6.x zero-pads before RFC 5649 (fixed upstream after 2.6.1, in no release yet).</summary>
    internal static bool PadsBeforeKeyWrap(LibraryInfo library) =>
        library.Manufacturer.StartsWith("SoftHSM", StringComparison.OrdinalIgnoreCase) && library.LibraryVersion is { major: 2, minor: <= 6 };

    public static LibraryReport Survey(string libraryPath) =>
        Pkcs11Errors.Translate($"PKCS#11 library {libraryPath}", () => SurveyCore(libraryPath));

    static LibraryReport SurveyCore(string libraryPath)
    {
        using var module = Pkcs11Module.Load(libraryPath);
        var positions = TokenSelection.Initialized(module).ToDictionary(t => t.Token.SlotId, t => t.Position);
        var slots = new List<SlotReport>();
        foreach (var slot in module.GetSlots(tokenPresent: false))
        {
            var slotInfo = module.GetSlotInfo(slot);
            var token = (slotInfo.Flags & CKF.TOKEN_PRESENT) != 0 ? module.GetTokenInfo(slot) : null;
            var mechanisms = token is { IsInitialized: true } ? Mechanisms(module, slot) : [];
            slots.Add(new SlotReport(slotInfo.Id, slotInfo.Description, token is null ? null : Report(token),
                                     positions.TryGetValue(slot, out var p) ? p : null, mechanisms));
        }
        var info = module.GetInfo();
        return new LibraryReport(libraryPath, info.Manufacturer, info.Description, info.LibraryVersion.ToString(), info.CryptokiVersion,
                                 PadsBeforeKeyWrap(info), slots);
    }

    static TokenReport Report(TokenInfo token) => new(token.Label, token.Serial, token.Model, token.Manufacturer, token.IsInitialized,
        !token.LoginRequired ? TokenLogin.NotRequired
        : token.HasPinPad ? TokenLogin.PinPad
        : (token.Flags & CKF.USER_PIN_LOCKED) != 0 ? TokenLogin.UserPinLocked
        : TokenLogin.UserPin);

    static List<MechanismReport> Mechanisms(Pkcs11Module module, nuint slot)
    {
        var infos = Needed.ToDictionary(n => n.Mechanism, n => module.GetMechanismInfo(slot, n.Mechanism));
        var reports = new List<MechanismReport>();
        foreach (var (mechanism, flag, use) in Needed)
        {
            var info = infos[mechanism];
            var supported = info is not null && info.Can(flag);
            var status = info is null ? "unsupported"
                : !supported ? $"listed, but not for {FlagName(flag)}"
                : info.MaxKeySize is > 0 and < 1 << 20 ? $"supported (key sizes {info.MinKeySize}-{info.MaxKeySize})"
                : "supported";
            if (mechanism == CKM.RSA_PKCS_OAEP && supported) status += "; " + ProbeOaep(module, slot);
            if (mechanism == CKM.RSA_AES_KEY_WRAP && !supported && infos[CKM.AES_KEY_WRAP_PAD] is { } kwp && kwp.Can(CKF.WRAP))
            {
                status += "; the tool builds it in the token from CKM_AES_KEY_WRAP_PAD and CKM_RSA_PKCS_OAEP";
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
        _ => "digests",
    };

    /// <summary>The throwaway RSA public key of the OAEP probe; only its public half is ever used.</summary>
    static readonly Lazy<RSAParameters> ProbeKey = new(() =>
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportParameters(false);
    });

    static string ProbeOaep(Pkcs11Module module, nuint slot)
    {
        try
        {
            using var session = module.OpenSession(slot);
            var p = ProbeKey.Value;
            using var wrappingTemplate = KeyTemplates.RsaWrappingKey(p.Modulus!, p.Exponent!);
            using var keyTemplate = KeyTemplates.EphemeralAes(privateObject: false);
            var wrappingKey = session.CreateObject(wrappingTemplate);
            var key = session.GenerateKey(Mechanism.Of(CKM.AES_KEY_GEN), keyTemplate);
            var sha1 = TokenWrapping.TryWrap(session, Mechanism.Oaep(CKM.SHA_1, CKG.MGF1_SHA1), wrappingKey, key);
            var sha256 = TokenWrapping.TryWrap(session, Mechanism.Oaep(CKM.SHA256, CKG.MGF1_SHA256), wrappingKey, key);
            return $"SHA-1 parameters {(sha1 is null ? "accepted" : $"refused ({sha1})")}, " +
                   $"SHA-256 parameters {(sha256 is null ? "accepted" : $"refused ({sha256})")}";
        }
        catch (Pkcs11Exception e)
        {
            // Some tokens allow no session objects before login; then the hashes stay unknown rather than guessed.
            return $"hash parameters not probed ({e.Message}); SoftHSM 2.6 is known to accept SHA-1 only";
        }
    }
}
