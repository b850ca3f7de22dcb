using CloudIntegration.Errors;

namespace CloudIntegration.Keys;

/// <summary>
/// A validated key name. It becomes part of output and key-store file names, so only a small, portable alphabet is
/// allowed and nothing that could climb out of a directory.
/// </summary>
public readonly record struct KeyName
{
    public const int MaxLength = 64;

    KeyName(string value) => Value = value;

    public string Value { get; }

    public static KeyName Parse(string text)
    {
        if (text.Length == 0) throw UsageErrors.InvalidKeyName(text, "it is empty");
        if (text.Length > MaxLength) throw UsageErrors.InvalidKeyName(text, $"it is {text.Length} characters long");
        if (text[0] is '.' or '-') throw UsageErrors.InvalidKeyName(text, $"it starts with '{text[0]}'");
        foreach (var c in text)
        {
            if (!IsAllowed(c)) throw UsageErrors.InvalidKeyName(text, $"'{ErrorText.Escape(c.ToString())}' is not allowed");
        }
        return new KeyName(text);
    }

    public static bool IsValid(string text)
    {
        if (text.Length is 0 or > MaxLength || text[0] is '.' or '-') return false;
        foreach (var c in text) if (!IsAllowed(c)) return false;
        return true;
    }

    static bool IsAllowed(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-';

    public override string ToString() => Value;
}
