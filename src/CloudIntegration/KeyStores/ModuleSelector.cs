using System.Globalization;
using CloudIntegration.Errors;

namespace CloudIntegration.KeyStores;

/// <summary>
/// <c>-m</c> as given, parsed once: its text and, when it is a decimal number of 1 or more, that number. The embedded
/// world takes only the number; a PKCS#11 library also takes a token's label or serial (see TokenSelection).
/// </summary>
public sealed record ModuleSelector
{
    ModuleSelector(string text, int? number)
    {
        Text = text;
        Number = number;
    }

    public string Text { get; }

    /// <summary>The module number, or null when the text is not one (a token label or serial).</summary>
    public int? Number { get; }

    /// <summary>Module 1: what no <c>-m</c> means.</summary>
    public static ModuleSelector Default { get; } = new("1", 1);

    public static ModuleSelector Parse(string text)
    {
        if (text.Length == 0 || text.Any(char.IsControl)) throw UsageErrors.InvalidModule(text);
        var isNumber = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1;
        return new ModuleSelector(text, isNumber ? number : null);
    }

    public override string ToString() => Text;
}
