namespace CloudIntegration.Errors;

/// <summary>How error messages quote what the user gave.</summary>
public static class ErrorText
{
    public static string List(IEnumerable<string> items) => string.Join(", ", items);

    /// <summary>Keeps user-supplied text in messages short and on one line.</summary>
    public static string Shorten(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        var printable = new string(oneLine.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return printable.Length <= 80 ? printable : printable[..77] + "...";
    }
}
