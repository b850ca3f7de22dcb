using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CloudIntegration.Errors;

/// <summary>
/// How error messages quote what the user gave, and how the runtime's exceptions become words. Every message is one
/// line: input is quoted through <see cref="Shorten"/> or <see cref="Escape"/>, and the command line passes the whole
/// message through <see cref="OneLine"/> once more before printing it.
/// </summary>
public static class ErrorText
{
    /// <summary>How much of a user-supplied value a message quotes.</summary>
    public const int QuotedCharacters = 80;
    /// <summary>How much of a path a message quotes: paths are quoted whole unless they are absurd.</summary>
    public const int PathCharacters = 400;

    public static string List(IEnumerable<string> items) => string.Join(", ", items);

    /// <summary>User-supplied text for a message: control characters escaped, cut to <see cref="QuotedCharacters"/>.</summary>
    public static string Shorten(string text) => Escape(text, QuotedCharacters);

    /// <summary>
    /// Text on one line: a newline, tab, other control character, line or paragraph separator becomes a visible
    /// escape (<c>\n</c>, <c>\t</c>, <c>\x1b</c>, <c>\u2028</c>), so nothing the user typed can start a new line or move
    /// the cursor; text longer than <paramref name="max"/> characters is cut and ends with "...".
    /// </summary>
    public static string Escape(string text, int max = PathCharacters)
    {
        var escaped = new StringBuilder();
        foreach (var c in text)
        {
            if (escaped.Length > max) break;
            if (c == '\n') escaped.Append("\\n");
            else if (c == '\r') escaped.Append("\\r");
            else if (c == '\t') escaped.Append("\\t");
            else if (c < 0x20 || c == 0x7F) escaped.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            else if (char.IsControl(c) || c is '\u2028' or '\u2029') escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else escaped.Append(c);
        }
        return escaped.Length <= max ? escaped.ToString() : escaped.ToString(0, max - 3) + "...";
    }

    /// <summary>The last guard at the command line: a whole message on one line (not cut; its parts were quoted already).</summary>
    public static string OneLine(string message) => Escape(message, int.MaxValue);

    /// <summary>
    /// What went wrong, in words, for a failure of the runtime (a file, the platform's cryptography). Chosen by the
    /// exception's type and error number, never by its message: the build strips the runtime's message texts
    /// (<c>UseSystemResourceKeys</c>), so a message would be a resource key such as <c>IO_FileNotFound_FileName</c>.
    /// </summary>
    public static string Describe(Exception e) => e switch
    {
        ToolError tool => tool.Message,
        FileNotFoundException => "not found",
        DirectoryNotFoundException => "not found (a directory on the path does not exist)",
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "the path is too long",
        IOException io => DescribeErrorNumber(io.HResult),
        CryptographicException => "the platform's cryptography refused it",
        OutOfMemoryException => "out of memory",
        _ => "an unexpected " + e.GetType().Name,
    };

    /// <summary>The error numbers the runtime puts in an <see cref="IOException"/>'s HResult on Linux and macOS.</summary>
    public static string DescribeErrorNumber(int errno) => errno switch
    {
        1 or 13 => "permission denied",
        2 => "not found",
        5 => "an input/output error (the disk or device failed)",
        6 => "no such device or address (a socket, or a device that is not there)",
        11 or 35 => "nothing arrived in time (a pipe whose writer sends nothing?)",
        20 => "a part of the path is not a directory",
        21 => "it is a directory",
        28 => "no space left on the device",
        30 => "the file system is read-only",
        36 or 63 => "the path is too long",
        40 or 62 => "too many levels of symbolic links",
        122 or 69 => "the disk quota is exceeded",
        > 0 and < 4096 => "input/output error " + errno.ToString(CultureInfo.InvariantCulture),
        _ => "an input/output error",
    };
}
