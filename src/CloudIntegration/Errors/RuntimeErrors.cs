using System.Globalization;
using static CloudIntegration.Errors.ErrorText;

namespace CloudIntegration.Errors;

/// <summary>
/// Every other failure (exit 1) is built here: a file, a key store, a token or the audit trail is not as expected.
/// Each message names the layer that is wrong (file format, key type, hash, size, mechanism) and what was expected.
/// </summary>
public static class RuntimeErrors
{
    /// <summary>A failure whose wording belongs to one caller only.</summary>
    public static RuntimeError Runtime(string message, Exception? inner = null) => new(message, inner);

    public static RuntimeError ModuleNotFound(int module, IEnumerable<string> available) =>
        Runtime($"module {module.ToString(CultureInfo.InvariantCulture)} does not exist (available: {List(available)})");

    public static RuntimeError NotCreatedByThisTool(string keyName, string why) =>
        Runtime($"key '{keyName}' was not created by this tool and will not be exported ({why})");

    public static RuntimeError KeyTampered(string keyName, string path) =>
        Runtime($"key '{keyName}' failed its integrity check: {path} has been modified or corrupted and is refused " +
                "(restore it from a backup of the world directory)");

    public static RuntimeError WorldKeyDamaged(string path, string why) =>
        Runtime($"the world key {path} is unusable: {why}");

    public static RuntimeError ProtectionNotAvailable(string option) =>
        Runtime($"this command does not unlock {option} protection (export the key with {option} and its passphrase or cards)");

    public static RuntimeError WrapKeyFile(string path, string problem) =>
        Runtime($"wrapping key file {Escape(path)}: {problem}");

    /// <summary>The platform's cryptography, not the input, failed (see Wrapping/PlatformCryptography).</summary>
    public static RuntimeError PlatformCryptographyFailed(string algorithm, string what, Exception? inner = null) =>
        Runtime($"this platform's {algorithm} does not work ({Shorten(what)}), so no input was at fault; run the tool where the " +
                $"system cryptography implements {algorithm} (Windows with CNG, Linux with OpenSSL; Wine does not)", inner);

    public static RuntimeError WrappingKeySizeRefused(string path, string provider, int bits, int requiredBits, string why) =>
        WrapKeyFile(path, $"{provider} takes only an RSA-{requiredBits} wrapping key{(why.Length > 0 ? $" ({why})" : "")}; this one is RSA-{bits}");

    public static RuntimeError OutputFailed(string path, string why, Exception? inner = null) =>
        Runtime($"could not write {path}: {why}; nothing was written", inner);

    public static RuntimeError OutputNotRestored(string path, string why, IEnumerable<(string File, string? KeptAs)> files, Exception? inner = null) =>
        Runtime($"could not write {path}: {why}; and could not put back as it was: " +
                string.Join(", ", files.Select(f => f.KeptAs is null ? f.File : $"{f.File} (the previous file is {f.KeptAs})")), inner);

    public static RuntimeError StorageFailed(string path, string why, Exception? inner = null) =>
        Runtime($"could not write {path}: {why}", inner);

    /// <summary>'keys list' listed the keys it could read; these it could not (each message names its key and why).</summary>
    public static RuntimeError KeysUnusable(IReadOnlyList<string> messages) =>
        Runtime(messages.Count == 1
            ? $"{messages[0]} (the other keys are listed)"
            : $"{messages.Count.ToString(CultureInfo.InvariantCulture)} keys are unusable (the other keys are listed): {string.Join("; ", messages)}");

    public static RuntimeError KeyNotFound(string keyName, string keyStore) =>
        Runtime($"no key '{keyName}' in the {keyStore} (run 'keys list' to see the keys)");

    public static RuntimeError DestroyNotConfirmed(string keyName) =>
        Runtime($"key '{keyName}' was not destroyed: the confirmation did not match its name (type the key name, or give --yes)");

    public static RuntimeError NoAuditTrail(string directory) =>
        Runtime($"no audit trail in {directory} (neither audit.log nor audit.head exists)");

    public static RuntimeError AuditNoWorldKey(string path) =>
        Runtime($"the audit seal needs the world key, and there is none at {path} (verify on the ceremony machine, " +
                "or check the chain alone with --chain-only)");

    public static RuntimeError AuditUnreadable(string path, string why) =>
        Runtime($"the audit trail {path} cannot be read: {why}");

    public static RuntimeError AuditWriteFailed(string path, string why, Exception? inner = null) =>
        Runtime($"could not record the operation in the audit trail {path}: {why}", inner);

    public static RuntimeError AuditLocked(string lockPath, int seconds) =>
        Runtime($"the audit trail stayed locked by another run for {seconds.ToString(CultureInfo.InvariantCulture)} s " +
                $"({lockPath}); try again when it has finished");

    public static RuntimeError AuditBroken(string directory, string why) =>
        Runtime($"the audit trail in {directory} no longer matches its sealed head ({why}); nothing was done. " +
                "Run 'audit verify' and keep audit.log and audit.head for the auditor (see docs/ceremony.md)");

    internal const string LibraryHint = "give the vendor's PKCS#11 module with --pkcs11-library or CLOUD_INTEGRATION_PKCS11_LIBRARY";

    public static RuntimeError Pkcs11LibraryMissing(string path, string why) =>
        Runtime($"PKCS#11 library {path} does not exist ({why}); {LibraryHint}");

    public static RuntimeError Pkcs11LibraryNotLoadable(string path, string why) =>
        Runtime($"PKCS#11 library {path} cannot be loaded: {Shorten(why)} (expected a shared library such as /usr/lib/softhsm/libsofthsm2.so)");

    public static RuntimeError Pkcs11NotALibrary(string path, string why) =>
        Runtime($"{path} is not a PKCS#11 library: {why}; {LibraryHint}");

    public static RuntimeError Pkcs11LibraryFailed(string where, string call, Exception inner) =>
        Runtime($"{where} could not start: {call} (check the library's configuration, e.g. SOFTHSM2_CONF for SoftHSM)", inner);

    public static RuntimeError Pkcs11NoToken(string path) =>
        Runtime($"PKCS#11 library {path} has no initialized token (initialize one with the vendor's tools, e.g. softhsm2-util --init-token)");

    public static RuntimeError Pkcs11TokenNotFound(string what, IEnumerable<string> available) =>
        Runtime($"{what}; available tokens: {List(available)} (see the info command)");

    public static RuntimeError Pkcs11SeveralTokens(IEnumerable<string> writable) =>
        Runtime($"several tokens can hold keys: {List(writable)}; choose one with -m (its position or label; see the info command)");

    public static RuntimeError Pkcs11TokenAmbiguous(string given, IEnumerable<string> matches) =>
        Runtime($"{given} matches more than one token: {List(matches)}; select by position or serial with -m");

    public static RuntimeError Pkcs11WrongPin(string where, string call, Exception inner) =>
        Runtime($"the user PIN for {where} is incorrect ({call}); many tokens lock the PIN after a few wrong tries", inner);

    public static RuntimeError Pkcs11PinLocked(string where, string call, Exception inner) =>
        Runtime($"the user PIN for {where} is locked or expired ({call}); the token's security officer must reset it", inner);

    public static RuntimeError Pkcs11TokenGone(string where, string call, Exception inner) =>
        Runtime($"{where} is no longer available ({call}); reconnect it and run the command again", inner);

    public static RuntimeError Pkcs11WrapRefused(string where, string mechanism, string call, IReadOnlyList<string> working, Exception inner) =>
        Runtime($"{where} cannot wrap with {mechanism}: {call}; " +
                (working.Count > 0 ? $"wrapping algorithms that work with this token: {List(working)}"
                                   : "none of the wrapping algorithms this provider takes works with this token") +
                " (keys are never wrapped outside the token)", inner);

    public static RuntimeError Pkcs11WrapUnproven(string where, string keyType, string construction, IEnumerable<string> findings) =>
        Runtime($"{where} failed the known-answer test for wrapping a {keyType} key with {construction}: {string.Join("; ", findings)}; " +
                "nothing was generated, and no file is written that the provider could not unwrap");

    public static RuntimeError Pkcs11CurveUnsupported(string where, string curve, string call, Exception inner) =>
        Runtime($"{where} does not support curve {curve} ({call}); nothing was generated", inner);

    public static RuntimeError Pkcs11TemplateRefused(string where, string call, IEnumerable<string> optional, Exception inner) =>
        Runtime($"{where} refused the key template ({call}); the attributes it may not know are {string.Join(", ", optional)}; " +
                "nothing was generated", inner);

    public static RuntimeError Pkcs11MechanismRefused(string where, string mechanism, string call, Exception inner) =>
        Runtime($"{where} does not support {mechanism}: {call}", inner);

    public static RuntimeError Pkcs11Failed(string where, string call, Exception inner) =>
        Runtime($"{where}: {call}", inner);

    public static RuntimeError Sha224NotAvailable(string what, string why) =>
        Runtime($"{what} needs SHA-224, which .NET's cryptography does not offer and {why}; nothing was generated; " +
                "choose the SHA-256 variant (RSA_AES_KEY_WRAP_SHA_256, HMAC-SHA256)");

    public static RuntimeError Ed25519NotAvailable(string keyType, string why) =>
        Runtime($"a {keyType} key needs Ed25519, which .NET's cryptography does not offer and {why}; nothing was generated");

    public static RuntimeError TokenCannotWrapPrivateKeyDirectly(string keyType, string algorithm, string where) =>
        Runtime($"{where} cannot wrap a {keyType} private key with {algorithm}: a PKCS#11 token wraps private keys only under " +
                "a symmetric key; choose the provider's RSA-AES algorithm (e.g. RSA_AES_KEY_WRAP_SHA_1 at aws); nothing was generated");

    public static RuntimeError TokenKeyTypeNotSupported(string keyType, string where) =>
        Runtime($"{keyType} keys are not generated in PKCS#11 tokens by this version ({where}); generate them in the embedded " +
                "world (no --pkcs11-library), which exports them to every provider that imports them");

    public static RuntimeError Pkcs11KeyUnsupported(string keyName, string where, string what) =>
        Runtime($"key '{keyName}' on {where} is {what}, which this tool does not export");

    public static RuntimeError Pkcs11KeyIncomplete(string keyName, string where, string why) =>
        Runtime($"key '{keyName}' on {where} cannot be used: {why}");

    public static RuntimeError Pkcs11DuplicateKey(string keyName, string where, IEnumerable<string> ids) =>
        Runtime($"key '{keyName}' exists more than once on {where} (CKA_ID {List(ids)}); remove the extra copies with the " +
                "token's tools before exporting it");

    public static RuntimeError Pkcs11UnfinishedKey(string keyName, string where, string id, string type, int waitedSeconds) =>
        Runtime($"key '{keyName}' on {where} exists only as an unfinished copy (CKA_ID {id}, still marked fresh after " +
                $"{waitedSeconds} s): an export stopped between generating and settling it. If no export of '{keyName}' is " +
                $"running on any host, remove it (pkcs11-tool --login --delete-object --type {type} --id {id}" +
                (type == "privkey" ? ", and --type pubkey with the same id" : "") + ") and export again; nothing was generated");

    public static RuntimeError Pkcs11CreationContended(string keyName, string where, int attempts) =>
        Runtime($"key '{keyName}' could not be created on {where}: in {attempts} attempts another export of the same name " +
                "generated at the same moment each time, and both gave way; run the export again");

    public static RuntimeError NewPassphraseRefused(string why) =>
        Runtime(why + "; nothing was written");

    public static RuntimeError SoftcardNotFound(string name, string path) =>
        Runtime($"softcard '{name}' does not exist in this world (no {path}); create it with: softcard new {name}");

    public static RuntimeError SoftcardExists(string name, string path) =>
        Runtime($"softcard '{name}' already exists ({path}); nothing was written");

    public static RuntimeError SoftcardDamaged(string name, string path, string why) =>
        Runtime($"softcard '{name}' is unusable: {path}: {why} (restore it from a backup of the world directory)");

    public static RuntimeError WrongSoftcardPassphrase(string name) =>
        Runtime($"wrong passphrase for softcard '{name}'; nothing was changed");

    public static RuntimeError CardSetNotFound(string name, string path) =>
        Runtime($"operator card set '{name}' does not exist in this world (no {path}); create it with: cardset new {name} ...");

    public static RuntimeError CardSetExists(string name, string path) =>
        Runtime($"operator card set '{name}' already exists ({path}); nothing was written");

    public static RuntimeError CardSetDamaged(string name, string path, string why) =>
        Runtime($"operator card set '{name}' is unusable: {path}: {why} (restore it from a backup of the world directory)");

    public static RuntimeError CardFileExists(string path) =>
        Runtime($"the card file {path} already exists; choose another --card-dir (nothing was written)");

    /// <summary>Fewer valid cards were presented than the quorum; <paramref name="refusals"/> says why each other card was refused.</summary>
    public static RuntimeError QuorumNotMet(string name, int valid, int quorum, IReadOnlyList<string> refusals) =>
        Runtime($"operator card set '{name}' needs {quorum} valid card{(quorum == 1 ? "" : "s")}, but " +
                $"{(valid == 0 ? "none was" : valid == 1 ? "only 1 was" : $"only {valid} were")} read" +
                (refusals.Count == 0 ? "; present more cards with --card" : $" (refused: {string.Join("; ", refusals)})") +
                "; nothing was exported");

    public static RuntimeError CardsDoNotRebuild(string name) =>
        Runtime($"the cards presented do not rebuild the key of operator card set '{name}' (its check value does not match): " +
                "a card was altered by someone who knew its passphrase, or the world's description of the set was replaced");

    public static RuntimeError WrongCardPassphrase(string name, string card, string path) =>
        Runtime($"wrong passphrase for {card} of operator card set '{name}' ({path}), or the card was altered; nothing was changed");

    public static RuntimeError CardRefused(string name, string path, string why) =>
        Runtime($"{path} cannot be used as a card of operator card set '{name}': {why}");

    // Scripted ceremonies and pinned wrapping keys.
    public static RuntimeError CeremonyFileUnreadable(string path, string why) =>
        Runtime($"cannot read the ceremony file {path}: {why}");

    public static RuntimeError WrappingKeyNotPinned(string path, string actual, string expected) =>
        Runtime($"the wrapping key {path} has SHA-256 fingerprint {actual}, not the expected {expected}: " +
                "it is not the key the provider issued (replaced or from another download); nothing was generated or exported");

    public static RuntimeError CeremonyCheckFailed(int problems) =>
        Runtime($"the ceremony file has {problems.ToString(CultureInfo.InvariantCulture)} problem(s) (listed above); nothing was generated or exported");

    public static RuntimeError CeremonyExportsFailed(int failed, int notRun) =>
        Runtime($"{failed.ToString(CultureInfo.InvariantCulture)} export(s) failed" +
                (notRun > 0 ? $", {notRun.ToString(CultureInfo.InvariantCulture)} not run (give --keep-going to run the rest after a failure)" : "") +
                "; the others are complete and recorded (see the summary and the minutes)");
}
