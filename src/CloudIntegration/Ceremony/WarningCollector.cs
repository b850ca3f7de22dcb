using System.Text;

namespace CloudIntegration.Ceremony;

/// <summary>
/// Standard error, passed through unchanged, that also remembers every <c>warning: ...</c> line, so the export's
/// summary and JSON repeat the warnings that scrolled past on stderr (from the export, the providers or the key store)
/// without each of them having to report twice.
/// </summary>
public sealed class WarningCollector(TextWriter inner) : TextWriter
{
    const string Prefix = "warning: ";
    readonly StringBuilder _line = new();
    readonly List<string> _warnings = [];

    public IReadOnlyList<string> Warnings => _warnings;

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        inner.Write(value);
        Collect(value);
    }

    public override void Write(string? value)
    {
        inner.Write(value);
        foreach (var c in value ?? "") Collect(c);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        inner.Write(buffer, index, count);
        for (var i = index; i < index + count; i++) Collect(buffer[i]);
    }

    public override void Flush() => inner.Flush();

    void Collect(char c)
    {
        if (c != '\n')
        {
            _line.Append(c);
            return;
        }
        var line = _line.ToString().TrimEnd('\r');
        _line.Clear();
        if (line.StartsWith(Prefix, StringComparison.Ordinal)) _warnings.Add(line[Prefix.Length..]);
    }
}
