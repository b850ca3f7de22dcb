using System.Globalization;

namespace CloudIntegration.Errors;

/// <summary>
/// Every error the tool can report is built here, so the wording stays consistent and each message names
/// the layer that is wrong (command line, file format, key type, hash, size) and what was expected.
/// </summary>
public static class Fail
{
    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    public static CliException Runtime(string message, Exception? inner = null) => new(ExitCodes.Failure, message, inner);

    static string List(IEnumerable<string> items) => string.Join(", ", items);

    // ---- command line -------------------------------------------------------------------------------------------
    public static CliException UnknownProvider(string given, IEnumerable<string> known) =>
        Usage($"unknown provider '{given}' (expected one of: {List(known)})");

    public static CliException UnknownKeyType(string given, IEnumerable<string> known) =>
        Usage($"unknown key type '{given}' (expected one of: {List(known)})");

    public static CliException UnknownWrapAlgorithm(string given, IEnumerable<string> known) =>
        Usage($"unknown wrapping algorithm '{given}' (expected one of: {List(known)})");

    public static CliException KeyTypeNotSupported(string keyType, string provider, IEnumerable<string> supported) =>
        Usage($"key type {keyType} is not supported by {provider} (supported: {List(supported)})");

    public static CliException WrapAlgorithmNotSupported(string alg, string provider, IEnumerable<string> supported) =>
        Usage($"wrapping algorithm {alg} is not supported by {provider} (supported: {List(supported)})");

    public static CliException WrapAlgorithmMissing(string provider, IEnumerable<string> supported) =>
        Usage($"{provider} needs a wrapping algorithm as the fourth argument (one of: {List(supported)})");

    public static CliException WrapAlgorithmNotAllowed(string provider, string given) =>
        Usage($"{provider} takes no wrapping algorithm, but '{given}' was given (it always uses RSA-OAEP-SHA1 with AES key wrap)");

    public static CliException AzureKekMissing(string provider) =>
        Usage($"{provider} needs -a/--azure-kek with the key identifier of the Key Exchange Key " +
              "(https://<vault-name>.vault.azure.net/keys/<key-name>/<key-version>)");

    public static CliException AzureKekNotAllowed(string provider) =>
        Usage($"-a/--azure-kek is only used with microsoft-azure, not with {provider}");

    public static CliException AzureKekMalformed(string given) =>
        Usage($"-a/--azure-kek '{Shorten(given)}' is not a Key Exchange Key identifier (expected " +
              "https://<vault-name>.vault.azure.net/keys/<key-name>/<key-version> or " +
              "https://<hsm-name>.managedhsm.azure.net/keys/<key-name>/<key-version>)");

    public static CliException ConflictingProtection(string first, string second) =>
        Usage($"{first} and {second} cannot be used together (choose one protection: -M, -S SOFTCARD or -O CARDSET)");

    public static CliException MissingArguments(string usage, IEnumerable<string> missing) =>
        Usage($"missing {List(missing)} (usage: {usage})");

    public static CliException UnknownOption(string option) =>
        Usage($"unknown option '{Shorten(option)}' (see -h for the options)");

    public static CliException OptionNeedsValue(string option, string valueName) =>
        Usage($"option {option} needs a value ({valueName})");

    public static CliException TooManyArguments(string extra) =>
        Usage($"unexpected argument '{Shorten(extra)}' (expected: provider keyName wrapKey [wrapAlg])");

    public static CliException InvalidKeyName(string given, string why) =>
        Usage($"invalid keyName '{Shorten(given)}': {why} (expected 1 to 64 characters of A-Z a-z 0-9 . _ -, " +
              "not starting with '.' or '-')");

    public static CliException InvalidModule(string given) =>
        Usage($"invalid module '{Shorten(given)}' (expected a module number such as 1)");

    // ---- the key store ------------------------------------------------------------------------------------------
    public static CliException ModuleNotFound(int module, IEnumerable<string> available) =>
        Runtime($"module {module.ToString(CultureInfo.InvariantCulture)} does not exist (available: {List(available)})");

    public static CliException StoredKeyTypeMismatch(string keyName, string stored, string requested) =>
        Usage($"key '{keyName}' already exists as {stored}, but -k {requested} was given " +
              $"(omit -k, or give -k {stored}, to re-export it)");

    public static CliException StoredKeyNotForProvider(string keyName, string stored, string provider, IEnumerable<string> supported) =>
        Usage($"key '{keyName}' is {stored}, which {provider} does not import (supported: {List(supported)})");

    public static CliException NotCreatedByThisTool(string keyName, string why) =>
        Runtime($"key '{keyName}' was not created by this tool and will not be exported ({why})");

    public static CliException KeyTampered(string keyName, string path) =>
        Runtime($"key '{keyName}' failed its integrity check: {path} has been modified or corrupted and is refused " +
                "(restore it from a backup of the world directory)");

    public static CliException WorldKeyDamaged(string path, string why) =>
        Runtime($"the world key {path} is unusable: {why}");

    public static CliException ProtectionMismatch(string keyName, string actual, string requested) =>
        Usage($"key '{keyName}' is protected by {actual}, not by {requested} (give the matching protection option)");

    public static CliException ProtectionNotAvailable(string option) =>
        Runtime($"this command does not unlock {option} protection (export the key with {option} and its passphrase or cards)");

    // ---- files --------------------------------------------------------------------------------------------------
    public static CliException WrapKeyFile(string path, string problem) =>
        Runtime($"wrapping key file {path}: {problem}");

    public static CliException OutputFailed(string path, string why, Exception? inner = null) =>
        Runtime($"could not write {path}: {why}; nothing was written", inner);

    public static CliException StorageFailed(string path, string why, Exception? inner = null) =>
        Runtime($"could not write {path}: {why}", inner);

    /// <summary>Keeps user-supplied text in messages short and on one line.</summary>
    public static string Shorten(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        var printable = new string(oneLine.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return printable.Length <= 80 ? printable : printable[..77] + "...";
    }

    // ---- ceremony and audit -------------------------------------------------------------------------------------
    public static CliException UnknownSubcommand(string command, string given, IEnumerable<string> known) =>
        Usage($"unknown '{command}' command '{Shorten(given)}' (expected one of: {List(known)})");

    public static CliException MissingSubcommand(string command, IEnumerable<string> known) =>
        Usage($"'{command}' needs a command: one of {List(known)} (see '{command} -h')");

    public static CliException WrongArguments(string usage) =>
        Usage($"wrong arguments (usage: {usage})");

    public static CliException KeyNotFound(string keyName, string keyStore) =>
        Runtime($"no key '{keyName}' in the {keyStore} (run 'keys list' to see the keys)");

    public static CliException DestroyNotConfirmed(string keyName) =>
        Runtime($"key '{keyName}' was not destroyed: the confirmation did not match its name (type the key name, or give --yes)");

    public static CliException NoAuditTrail(string directory) =>
        Runtime($"no audit trail in {directory} (neither audit.log nor audit.head exists)");

    public static CliException AuditNoWorldKey(string path) =>
        Runtime($"the audit seal needs the world key, and there is none at {path} (verify on the ceremony machine, " +
                "or check the chain alone with --chain-only)");

    public static CliException AuditUnreadable(string path, string why) =>
        Runtime($"the audit trail {path} cannot be read: {why}");

    public static CliException AuditWriteFailed(string path, string why, Exception? inner = null) =>
        Runtime($"could not record the operation in the audit trail {path}: {why}", inner);

    public static CliException AuditLocked(string lockPath, int seconds) =>
        Runtime($"the audit trail stayed locked by another run for {seconds.ToString(CultureInfo.InvariantCulture)} s " +
                $"({lockPath}); try again when it has finished");

    public static CliException AuditBroken(string directory, string why) =>
        Runtime($"the audit trail in {directory} no longer matches its sealed head ({why}); nothing was done. " +
                "Run 'audit verify' and keep audit.log and audit.head for the auditor (see docs/ceremony.md)");

    // ---- PKCS#11 ------------------------------------------------------------------------------------------------
    const string LibraryHint = "give the vendor's PKCS#11 module with --pkcs11-library or CLOUD_INTEGRATION_PKCS11_LIBRARY";

    public static CliException Pkcs11OptionWithoutLibrary(string option) =>
        Usage($"{option} is only used with a PKCS#11 library ({LibraryHint})");

    public static CliException Pkcs11LibraryMissing(string path, string why) =>
        Runtime($"PKCS#11 library {path} does not exist ({why}); {LibraryHint}");

    public static CliException Pkcs11LibraryNotLoadable(string path, string why) =>
        Runtime($"PKCS#11 library {path} cannot be loaded: {Shorten(why)} (expected a shared library such as /usr/lib/softhsm/libsofthsm2.so)");

    public static CliException Pkcs11NotALibrary(string path, string why) =>
        Runtime($"{path} is not a PKCS#11 library: {why}; {LibraryHint}");

    public static CliException Pkcs11LibraryFailed(string where, string call, Exception inner) =>
        Runtime($"{where} could not start: {call} (check the library's configuration, e.g. SOFTHSM2_CONF for SoftHSM)", inner);

    public static CliException Pkcs11NoToken(string path) =>
        Runtime($"PKCS#11 library {path} has no initialized token (initialize one with the vendor's tools, e.g. softhsm2-util --init-token)");

    public static CliException Pkcs11TokenNotFound(string what, IEnumerable<string> available) =>
        Runtime($"{what}; available tokens: {List(available)} (see the info command)");

    public static CliException Pkcs11TokenAmbiguous(string given, IEnumerable<string> matches) =>
        Runtime($"{given} matches more than one token: {List(matches)}; select by position or serial with -m");

    public static CliException Pkcs11TokenConflict(string first, string firstToken, string second, string secondToken) =>
        Usage($"{first} selects token {firstToken} but {second} selects token {secondToken}; give one of them");

    public static CliException Pkcs11WrongPin(string where, string call, Exception inner) =>
        Runtime($"the user PIN for {where} is incorrect ({call}); many tokens lock the PIN after a few wrong tries", inner);

    public static CliException Pkcs11PinLocked(string where, string call, Exception inner) =>
        Runtime($"the user PIN for {where} is locked or expired ({call}); the token's security officer must reset it", inner);

    public static CliException Pkcs11TokenGone(string where, string call, Exception inner) =>
        Runtime($"{where} is no longer available ({call}); reconnect it and run the command again", inner);

    public static CliException Pkcs11WrapRefused(string where, string mechanism, string call, IReadOnlyList<string> working, Exception inner) =>
        Runtime($"{where} cannot wrap with {mechanism}: {call}; " +
                (working.Count > 0 ? $"wrapping algorithms that work with this token: {List(working)}"
                                   : "none of the wrapping algorithms this provider takes works with this token") +
                " (keys are never wrapped outside the token)", inner);

    public static CliException Pkcs11MechanismRefused(string where, string mechanism, string call, Exception inner) =>
        Runtime($"{where} does not support {mechanism}: {call}", inner);

    public static CliException Pkcs11Failed(string where, string call, Exception inner) =>
        Runtime($"{where}: {call}", inner);

    public static CliException Pkcs11KeyUnsupported(string keyName, string where, string what) =>
        Runtime($"key '{keyName}' on {where} is {what}, which this tool does not export");

    public static CliException Pkcs11KeyIncomplete(string keyName, string where, string why) =>
        Runtime($"key '{keyName}' on {where} cannot be used: {why}");

    public static CliException Pkcs11DuplicateKey(string keyName, string where, IEnumerable<string> ids) =>
        Runtime($"key '{keyName}' exists more than once on {where} (CKA_ID {List(ids)}); remove the extra copies with the " +
                "token's tools before exporting it");

    // ---- softcards and card sets ---------------------------------------------------------------------------------
    /// <summary>An existing key was asked for with a protection other than the one it was generated with.</summary>
    public static CliException KeyProtectedOtherwise(string keyName, Keys.Protection actual, Keys.Protection requested)
    {
        var asked = requested.Kind switch
        {
            Keys.ProtectionKind.Module => "module protection (no -S or -O)",
            Keys.ProtectionKind.Softcard => $"softcard '{requested.Name}' (-S {requested.Name})",
            _ => $"operator card set '{requested.Name}' (-O {requested.Name})",
        };
        return actual.Kind switch
        {
            Keys.ProtectionKind.Module => Usage($"key '{keyName}' is module protected, but {asked} was given; " +
                                                "give -M or no protection option to export it"),
            Keys.ProtectionKind.Softcard => Usage($"key '{keyName}' is protected by softcard '{actual.Name}', but {asked} was given; " +
                                                  $"give -S {actual.Name} (and its passphrase) to export it"),
            _ => Usage($"key '{keyName}' is protected by operator card set '{actual.Name}', but {asked} was given; " +
                       $"give -O {actual.Name} and present a quorum of its cards to export it"),
        };
    }

    public static CliException InvalidProtectionName(string what, string given) =>
        Usage($"invalid {what} name '{Shorten(given)}' (expected 1 to 64 characters of A-Z a-z 0-9 . _ -, not starting with '.' or '-')");

    public static CliException OptionNeedsProtection(string option, string protectionOption) =>
        Usage($"{option} is only used with {protectionOption}");

    public static CliException NewPassphraseRefused(string why) =>
        Runtime(why + "; nothing was written");

    public static CliException SoftcardNotFound(string name, string path) =>
        Runtime($"softcard '{name}' does not exist in this world (no {path}); create it with: softcard new {name}");

    public static CliException SoftcardExists(string name, string path) =>
        Runtime($"softcard '{name}' already exists ({path}); nothing was written");

    public static CliException SoftcardDamaged(string name, string path, string why) =>
        Runtime($"softcard '{name}' is unusable: {path}: {why} (restore it from a backup of the world directory)");

    public static CliException WrongSoftcardPassphrase(string name) =>
        Runtime($"wrong passphrase for softcard '{name}'; nothing was changed");

    public static CliException CardSetNotFound(string name, string path) =>
        Runtime($"operator card set '{name}' does not exist in this world (no {path}); create it with: cardset new {name} ...");

    public static CliException CardSetExists(string name, string path) =>
        Runtime($"operator card set '{name}' already exists ({path}); nothing was written");

    public static CliException CardSetDamaged(string name, string path, string why) =>
        Runtime($"operator card set '{name}' is unusable: {path}: {why} (restore it from a backup of the world directory)");

    public static CliException CardFileExists(string path) =>
        Runtime($"the card file {path} already exists; choose another --card-dir (nothing was written)");

    public static CliException InvalidCardSetSize(string why) =>
        Usage($"{why} (a card set has 1 <= --quorum K <= --cards N <= 64)");

    public static CliException NoCardsGiven(string name, int quorum) =>
        Usage($"operator card set '{name}' needs {quorum} of its cards: give --card PATH for each " +
              "(a card file, or a directory holding cards), or run on a terminal to be asked for them");

    /// <summary>Fewer valid cards were presented than the quorum; <paramref name="refusals"/> says why each other card was refused.</summary>
    public static CliException QuorumNotMet(string name, int valid, int quorum, IReadOnlyList<string> refusals) =>
        Runtime($"operator card set '{name}' needs {quorum} valid card{(quorum == 1 ? "" : "s")}, but " +
                $"{(valid == 0 ? "none was" : valid == 1 ? "only 1 was" : $"only {valid} were")} read" +
                (refusals.Count == 0 ? "; present more cards with --card" : $" (refused: {string.Join("; ", refusals)})") +
                "; nothing was exported");

    public static CliException CardsDoNotRebuild(string name) =>
        Runtime($"the cards presented do not rebuild the key of operator card set '{name}' (its check value does not match): " +
                "a card was altered by someone who knew its passphrase, or the world's description of the set was replaced");

    public static CliException WrongCardPassphrase(string name, string card, string path) =>
        Runtime($"wrong passphrase for {card} of operator card set '{name}' ({path}), or the card was altered; nothing was changed");

    public static CliException BadSubcommand(string verb, string? given, IEnumerable<string> subcommands) =>
        Usage(given is null
            ? $"{verb} needs a subcommand: {List(subcommands)} (see {verb} -h)"
            : $"unknown {verb} subcommand '{Shorten(given)}' (expected one of: {List(subcommands)})");

    public static CliException SubcommandNeeds(string verb, string subcommand, string what) =>
        Usage($"{verb} {subcommand} needs {what}");

    public static CliException OptionNotForSubcommand(string option, string verb, string subcommand) =>
        Usage($"{option} is not used with '{verb} {subcommand}'");

    public static CliException CardDirectoryCount(int given, int cards) =>
        Usage(given == 0
            ? "cardset new needs --card-dir DIR: where to write the cards (once for all, or once per card)"
            : $"give --card-dir once (all cards in it) or {cards} times (card i in the i-th), not {given} times");

    public static CliException CardRefused(string name, string path, string why) =>
        Runtime($"{path} cannot be used as a card of operator card set '{name}': {why}");
}
