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
        _ => "cardset:" + Name,
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
        _ => $"operator card set '{Name}'",
    };

    public override string ToString() => Encode();
}
