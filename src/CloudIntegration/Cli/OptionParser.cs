using CloudIntegration.Errors;

namespace CloudIntegration.Cli;

/// <summary>One command-line option: <c>-m MODULE</c>, <c>--module MODULE</c>, or a flag without a value.</summary>
public sealed record OptionSpec(string? Short, string Long, string? ValueName, string Help);

/// <summary>
/// An argparse-compatible parser for the options the guide documents: short and long forms, <c>--opt=value</c>,
/// <c>-mVALUE</c>, options before or after positionals, and <c>--</c> to end options.
/// </summary>
public sealed class ParsedArguments
{
    readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    public bool Has(OptionSpec option) => _values.ContainsKey(option.Long);

    /// <summary>The last value given, as argparse does for repeated options.</summary>
    public string? Value(OptionSpec option) => _values.TryGetValue(option.Long, out var v) ? v[^1] : null;

    public IReadOnlyList<string> Values(OptionSpec option) => _values.TryGetValue(option.Long, out var v) ? v : [];

    void Add(OptionSpec option, string value)
    {
        if (!_values.TryGetValue(option.Long, out var list)) _values[option.Long] = list = [];
        list.Add(value);
    }

    public static ParsedArguments Parse(IReadOnlyList<string> args, IReadOnlyList<OptionSpec> options)
    {
        var result = new ParsedArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                result.Positionals.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = arg.IndexOf('=');
                var name = eq < 0 ? arg : arg[..eq];
                var option = options.FirstOrDefault(o => "--" + o.Long == name) ?? throw UsageErrors.UnknownOption(name);
                if (option.ValueName is null)
                {
                    if (eq >= 0) throw UsageErrors.Usage($"option {name} takes no value");
                    result.Add(option, "");
                }
                else if (eq >= 0) result.Add(option, arg[(eq + 1)..]);
                else if (i + 1 < args.Count) result.Add(option, args[++i]);
                else throw UsageErrors.OptionNeedsValue(name, option.ValueName);
            }
            else if (arg.Length > 1 && arg[0] == '-' && !IsNegativeNumber(arg))
            {
                var name = arg[..2];
                var option = options.FirstOrDefault(o => o.Short == name) ?? throw UsageErrors.UnknownOption(arg);
                if (option.ValueName is null)
                {
                    result.Add(option, "");
                    // Clustered flags such as -hM are rare in a key ceremony; refuse rather than guess.
                    if (arg.Length > 2) throw UsageErrors.UnknownOption(arg);
                }
                else if (arg.Length > 2) result.Add(option, arg[2..]);
                else if (i + 1 < args.Count) result.Add(option, args[++i]);
                else throw UsageErrors.OptionNeedsValue(name, option.ValueName);
            }
            else
            {
                result.Positionals.Add(arg);
            }
        }
        return result;
    }

    static bool IsNegativeNumber(string arg) => arg.Length > 1 && arg[1..].All(char.IsAsciiDigit);
}
