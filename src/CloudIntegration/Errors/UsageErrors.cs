using System.Globalization;
using static CloudIntegration.Errors.ErrorText;

namespace CloudIntegration.Errors;

/// <summary>
/// Every usage error (the command line itself is wrong; exit 2) is built here, so the wording stays consistent and each
/// message names what is wrong and what was expected.
/// </summary>
public static class UsageErrors
{
    /// <summary>A usage error whose wording belongs to one caller only.</summary>
    public static UsageError Usage(string message) => new(message);

    public static UsageError UnknownProvider(string given, IEnumerable<string> known) =>
        Usage($"unknown provider '{given}' (expected one of: {List(known)})");

    public static UsageError UnknownKeyType(string given, IEnumerable<string> known) =>
        Usage($"unknown key type '{given}' (expected one of: {List(known)})");

    public static UsageError UnknownWrapAlgorithm(string given, IEnumerable<string> known) =>
        Usage($"unknown wrapping algorithm '{given}' (expected one of: {List(known)})");

    public static UsageError AlgorithmSizeMismatch(string algorithm, int statedBits, int wrappingKeyBits) =>
        Usage($"wrapping algorithm {algorithm} is for an RSA-{statedBits} wrapping key, but the wrapping key is RSA-{wrappingKeyBits} " +
              $"(use the import method of the job whose wrapping key you downloaded)");

    public static UsageError ProviderRule(string provider, string rule) => Usage($"{provider}: {rule}");

    public static UsageError TooLargeForDirectWrap(string provider, string keyType, int keyBytes, string algorithm, int wrappingKeyBits,
                                                   int limit, string alternative) =>
        Usage($"{provider}: a {keyType} key ({keyBytes} bytes) does not fit {algorithm} under an RSA-{wrappingKeyBits} wrapping key " +
              $"(at most {limit} bytes); use {alternative}");

    public static UsageError KeyTypeNotSupported(string keyType, string provider, IEnumerable<string> supported) =>
        Usage($"key type {keyType} is not supported by {provider} (supported: {List(supported)})");

    public static UsageError WrapAlgorithmNotSupported(string alg, string provider, IEnumerable<string> supported) =>
        Usage($"wrapping algorithm {alg} is not supported by {provider} (supported: {List(supported)})");

    public static UsageError WrapAlgorithmMissing(string provider, IEnumerable<string> supported) =>
        Usage($"{provider} needs a wrapping algorithm as the fourth argument (one of: {List(supported)})");

    public static UsageError WrapAlgorithmNotAllowed(string provider, string given) =>
        Usage($"{provider} takes no wrapping algorithm, but '{given}' was given (it always uses RSA-OAEP-SHA1 with AES key wrap)");

    public static UsageError AzureKekMissing(string provider) =>
        Usage($"{provider} needs -a/--azure-kek with the key identifier of the Key Exchange Key " +
              "(https://<vault-name>.vault.azure.net/keys/<key-name>/<key-version>)");

    public static UsageError AzureKekNotAllowed(string provider) =>
        Usage($"-a/--azure-kek is only used with microsoft-azure, not with {provider}");

    public static UsageError AzureKekMalformed(string given) =>
        Usage($"-a/--azure-kek '{Shorten(given)}' is not a Key Exchange Key identifier (expected " +
              "https://<vault-name>.vault.azure.net/keys/<key-name>/<key-version> or " +
              "https://<hsm-name>.managedhsm.azure.net/keys/<key-name>/<key-version>)");

    public static UsageError ConflictingProtection(string first, string second) =>
        Usage($"{first} and {second} cannot be used together (choose one protection: -M, -S SOFTCARD or -O CARDSET)");

    public static UsageError MissingArguments(string usage, IEnumerable<string> missing) =>
        Usage($"missing {List(missing)} (usage: {usage})");

    public static UsageError UnknownOption(string option) =>
        Usage($"unknown option '{Shorten(option)}' (see -h for the options)");

    public static UsageError OptionNeedsValue(string option, string valueName) =>
        Usage($"option {option} needs a value ({valueName})");

    public static UsageError TooManyArguments(string extra) =>
        Usage($"unexpected argument '{Shorten(extra)}' (expected: provider keyName wrapKey [wrapAlg])");

    public static UsageError InvalidKeyName(string given, string why) =>
        Usage($"invalid keyName '{Shorten(given)}': {why} (expected 1 to 64 characters of A-Z a-z 0-9 . _ -, " +
              "not starting with '.' or '-')");

    public static UsageError InvalidModule(string given) =>
        Usage($"invalid module '{Shorten(given)}' (expected a module number such as 1)");

    public static UsageError StoredKeyTypeMismatch(string keyName, string stored, string requested) =>
        Usage($"key '{keyName}' already exists as {stored}, but -k {requested} was given " +
              $"(omit -k, or give -k {stored}, to re-export it)");

    public static UsageError StoredKeyNotForProvider(string keyName, string stored, string provider, IEnumerable<string> supported) =>
        Usage($"key '{keyName}' is {stored}, which {provider} does not import (supported: {List(supported)})");

    public static UsageError WrongArguments(string usage) =>
        Usage($"wrong arguments (usage: {usage})");

    public static UsageError Pkcs11OptionWithoutLibrary(string option) =>
        Usage($"{option} is only used with a PKCS#11 library ({RuntimeErrors.LibraryHint})");

    public static UsageError Pkcs11TokenConflict(string first, string firstToken, string second, string secondToken) =>
        Usage($"{first} selects token {firstToken} but {second} selects token {secondToken}; give one of them");

    /// <summary>An existing key was asked for with a protection other than the one it was generated with.</summary>
    public static UsageError KeyProtectedOtherwise(string keyName, string actual, string requestedAsGiven, string howToGiveActual) =>
        Usage($"key '{keyName}' is {actual}, but {requestedAsGiven} was given; {howToGiveActual} to export it");

    /// <summary><paramref name="what"/> names it as the person gave it: "softcard", "-S/--softcard".</summary>
    public static UsageError InvalidProtectionName(string what, string given) =>
        Usage($"invalid {what} name '{Shorten(given)}' (expected 1 to 64 characters of A-Z a-z 0-9 . _ -, not starting with '.' or '-')");

    public static UsageError OptionNeedsProtection(string option, string protectionOption) =>
        Usage($"{option} is only used with {protectionOption}");

    public static UsageError InvalidCardSetSize(string why) =>
        Usage($"{why} (a card set has 1 <= --quorum K <= --cards N <= 64)");

    public static UsageError NoCardsGiven(string name, int quorum) =>
        Usage($"operator card set '{name}' needs {quorum} of its cards: give --card PATH for each " +
              "(a card file, or a directory holding cards), or run on a terminal to be asked for them");

    /// <summary>A command that takes a subcommand got none (<paramref name="given"/> null) or an unknown one.</summary>
    public static UsageError BadSubcommand(string verb, string? given, IEnumerable<string> subcommands) =>
        Usage(given is null
            ? $"'{verb}' needs a subcommand: one of {List(subcommands)} (see '{verb} -h')"
            : $"unknown '{verb}' subcommand '{Shorten(given)}' (expected one of: {List(subcommands)})");

    public static UsageError EmbeddedOptionWithLibrary(string option) =>
        Usage($"{option} is only used with the embedded Security World; a PKCS#11 token's keys are protected by its " +
              "login (give --pin-file, or enter the PIN when asked)");

    public static UsageError InvalidPath(string what, string given) =>
        Usage($"invalid {what} '{Shorten(given)}' (expected the path of a file or directory)");

    public static UsageError SubcommandNeeds(string verb, string subcommand, string what) =>
        Usage($"{verb} {subcommand} needs {what}");

    public static UsageError OptionNotForSubcommand(string option, string verb, string subcommand) =>
        Usage($"{option} is not used with '{verb} {subcommand}'");

    public static UsageError CardDirectoryCount(int given, int cards) =>
        Usage(given == 0
            ? "cardset new needs --card-dir DIR: where to write the cards (once for all, or once per card)"
            : $"give --card-dir once (all cards in it) or {cards} times (card i in the i-th), not {given} times");

    // The ceremony file (scripted ceremonies): a file whose shape is wrong is a usage error, with the place.
    public static UsageError CeremonyFileMalformed(string path, int line, string? field, string what) =>
        Usage($"ceremony file {path}, line {line.ToString(CultureInfo.InvariantCulture)}" +
              (field is null ? "" : $", field {field}") + $": {what}");

    public static UsageError ExpectedFingerprintMalformed(string given) =>
        Usage($"invalid --expect-fingerprint '{Shorten(given)}' (expected the SHA-256 of the wrapping key's SubjectPublicKeyInfo: 64 hex digits, colons allowed)");
}
