namespace CloudIntegration.Keys;

public enum ProtectionKind { Module, Softcard, CardSet }

/// <summary>
/// How a key is protected. Fixed when the key is generated and bound to it: re-exporting needs the same protection.
/// </summary>
public readonly record struct Protection(ProtectionKind Kind, string? Name)
{
    public static Protection Module { get; } = new(ProtectionKind.Module, null);
    public static Protection Softcard(string name) => new(ProtectionKind.Softcard, name);
    public static Protection CardSet(string name) => new(ProtectionKind.CardSet, name);

    /// <summary>The form stored with a key: <c>module</c>, <c>softcard:NAME</c> or <c>cardset:NAME</c>.</summary>
    public string Encode() => Kind switch
    {
        ProtectionKind.Module => "module",
        ProtectionKind.Softcard => "softcard:" + Name,
        ProtectionKind.CardSet => "cardset:" + Name,
        _ => throw Unknown(Kind),
    };

    public static Protection? Decode(string text)
    {
        if (text == "module") return Module;
        var colon = text.IndexOf(':');
        if (colon <= 0 || colon == text.Length - 1) return null;
        var name = text[(colon + 1)..];
        return text[..colon] switch
        {
            "softcard" => Softcard(name),
            "cardset" => CardSet(name),
            _ => null,
        };
    }

    /// <summary>How a person would say it: "module protection", "softcard 'x'", "operator card set 'y'".</summary>
    public string Describe() => Kind switch
    {
        ProtectionKind.Module => "module protection",
        ProtectionKind.Softcard => $"softcard '{Name}'",
        ProtectionKind.CardSet => $"operator card set '{Name}'",
        _ => throw Unknown(Kind),
    };

    /// <summary>How a key is said to be protected in a mismatch message: "module protected", "protected by softcard 'x'".</summary>
    public string DescribeKey() => Kind switch
    {
        ProtectionKind.Module => "module protected",
        ProtectionKind.Softcard or ProtectionKind.CardSet => "protected by " + Describe(),
        _ => throw Unknown(Kind),
    };

    /// <summary>The protection as the command line gave it, with its option.</summary>
    public string DescribeAsGiven() => Kind switch
    {
        ProtectionKind.Module => "module protection (no -S or -O)",
        ProtectionKind.Softcard => $"softcard '{Name}' (-S {Name})",
        ProtectionKind.CardSet => $"operator card set '{Name}' (-O {Name})",
        _ => throw Unknown(Kind),
    };

    /// <summary>What to give on the command line to use this protection.</summary>
    public string HowToGive() => Kind switch
    {
        ProtectionKind.Module => "give -M or no protection option",
        ProtectionKind.Softcard => $"give -S {Name} (and its passphrase)",
        ProtectionKind.CardSet => $"give -O {Name} and present a quorum of its cards",
        _ => throw Unknown(Kind),
    };

    static ArgumentOutOfRangeException Unknown(ProtectionKind kind) =>
        new(nameof(kind), kind, "unknown protection kind");

    public override string ToString() => Encode();
}
