using CloudIntegration.Errors;
using CloudIntegration.Native.Pkcs11;

namespace CloudIntegration.KeyStores.Pkcs11;

/// <summary>
/// What the command line says about the token: <c>-m</c> (a position, label or serial) and/or the label given with
/// <c>-S</c> or <c>-O</c> (vendors present softcards and card sets as tokens). Neither: the only token that can hold keys.
/// </summary>
public sealed record TokenSelector(ModuleSelector? Module, string? Label, string LabelOption)
{
    public static TokenSelector Default { get; } = new(null, null, "");
}

/// <summary>An initialized token and its 1-based position among the initialized tokens (the module number).</summary>
public sealed record NumberedToken(int Position, TokenInfo Token)
{
    public string Describe() => $"{Position} '{Token.Label}' (serial {Token.Serial})";
}

/// <summary>
/// Picks the token. Slot IDs are arbitrary (SoftHSM derives them from the serial and keeps an extra empty slot), so
/// tokens are numbered by their position among the initialized ones, in the library's slot order, as `info` lists them.
/// </summary>
public static class TokenSelection
{
    public static IReadOnlyList<NumberedToken> Initialized(Pkcs11Module module)
    {
        var tokens = new List<NumberedToken>();
        foreach (var slot in module.GetSlots(tokenPresent: true))
        {
            var token = module.GetTokenInfo(slot);
            if (token.IsInitialized) tokens.Add(new NumberedToken(tokens.Count + 1, token));
        }
        return tokens;
    }

    public static NumberedToken Select(Pkcs11Module module, TokenSelector selector)
    {
        // A token whose file another process is rewriting can read as absent for a moment (SoftHSM); look again.
        var tokens = Transient.Retry(() => Initialized(module), found => found.Count == 0);
        if (tokens.Count == 0) throw RuntimeErrors.Pkcs11NoToken(module.LibraryPath);
        var byModule = selector.Module is { } m ? ByModule(tokens, m) : null;
        var byLabel = selector.Label is { } label ? ByLabel(tokens, label, selector.LabelOption) : null;
        if (byModule is not null && byLabel is not null && byModule.Position != byLabel.Position)
        {
            throw UsageErrors.Pkcs11TokenConflict($"-m {selector.Module}", byModule.Describe(), $"{selector.LabelOption} {selector.Label}", byLabel.Describe());
        }
        return byModule ?? byLabel ?? Default(tokens);
    }

    /// <summary>
    /// Without -m, -S or -O: the one token that can hold keys. A read-only token (NSS's "Generic Crypto Services",
    /// CKF_WRITE_PROTECTED) is never a guess, and neither is one of several writable tokens.
    /// </summary>
    static NumberedToken Default(IReadOnlyList<NumberedToken> tokens)
    {
        var writable = tokens.Where(t => !t.Token.IsWriteProtected).ToList();
        return writable.Count switch
        {
            1 => writable[0],
            0 => throw RuntimeErrors.Pkcs11TokenNotFound("no token can hold keys (every initialized token is read-only)",
                                                         tokens.Select(t => t.Describe())),
            _ => throw RuntimeErrors.Pkcs11SeveralTokens(writable.Select(t => t.Describe())),
        };
    }

    /// <summary>A number up to the token count is a position; anything else a label, then a serial. Never a guess.</summary>
    static NumberedToken ByModule(IReadOnlyList<NumberedToken> tokens, ModuleSelector module)
    {
        var text = module.Text;
        var matches = new List<NumberedToken>();
        if (module.Number is { } position && position <= tokens.Count) matches.Add(tokens[position - 1]);
        matches.AddRange(tokens.Where(t => t.Token.Label == text));
        matches.AddRange(tokens.Where(t => string.Equals(t.Token.Serial, text, StringComparison.OrdinalIgnoreCase)));
        var distinct = matches.DistinctBy(t => t.Position).ToList();
        return distinct.Count switch
        {
            1 => distinct[0],
            0 => throw RuntimeErrors.Pkcs11TokenNotFound($"no token is module {ErrorText.Shorten(text)} (by position, label or serial)",
                                                tokens.Select(t => t.Describe())),
            _ => throw RuntimeErrors.Pkcs11TokenAmbiguous($"-m {ErrorText.Shorten(text)}", distinct.Select(t => t.Describe())),
        };
    }

    static NumberedToken ByLabel(IReadOnlyList<NumberedToken> tokens, string label, string option)
    {
        var matches = tokens.Where(t => t.Token.Label == label).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw RuntimeErrors.Pkcs11TokenNotFound($"no token is labelled '{ErrorText.Shorten(label)}' (given with {option})",
                                                tokens.Select(t => t.Describe())),
            _ => throw RuntimeErrors.Pkcs11TokenAmbiguous($"{option} {ErrorText.Shorten(label)}", matches.Select(t => t.Describe())),
        };
    }
}
