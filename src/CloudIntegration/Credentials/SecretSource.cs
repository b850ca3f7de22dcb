using System.Security.Cryptography;
using System.Text;
using CloudIntegration.Errors;
using CloudIntegration.IO;

namespace CloudIntegration.Credentials;

/// <summary>
/// Where passphrases and PINs come from: a no-echo prompt on a terminal, or for automation a file (one secret per
/// line, in the order they are asked for) or standard input when it is not a terminal. Never the command line.
/// Secrets are returned as pinned UTF-8 byte arrays that the caller zeroes; no string ever holds one.
/// </summary>
public abstract class SecretSource : IDisposable
{
    /// <summary>Reads the next secret. <paramref name="prompt"/> names what is asked for (it is not a secret).</summary>
    public abstract byte[] Read(string prompt);

    /// <summary>True when a person is typing, so asking twice to confirm a new passphrase makes sense.</summary>
    public abstract bool IsInteractive { get; }

    public virtual void Dispose() { }

    /// <summary>
    /// The file named by an option wins; otherwise standard input: a terminal prompt, or lines when redirected.
    /// </summary>
    public static SecretSource Open(string? file, TextReader stdin, bool stdinIsTerminal, TextWriter prompts) =>
        file is not null ? LineSecretSource.FromFile(file)
        : stdinIsTerminal ? new TerminalSecretSource(prompts)
        : new LineSecretSource(ReadAll(stdin), "standard input");

    /// <summary>Reads to the end into pinned buffers, cleared as they grow: never into a string, which could not be cleared.</summary>
    static byte[] ReadAll(TextReader reader)
    {
        var buffer = GC.AllocateArray<char>(4096, pinned: true);
        var length = 0;
        try
        {
            int read;
            while ((read = reader.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
                if (length < buffer.Length) continue;
                var larger = GC.AllocateArray<char>(buffer.Length * 2, pinned: true);
                buffer.CopyTo(larger, 0);
                Array.Clear(buffer);
                buffer = larger;
            }
            return Pinned(buffer.AsSpan(0, length));
        }
        finally
        {
            Array.Clear(buffer);
        }
    }

    internal static byte[] Pinned(ReadOnlySpan<char> chars)
    {
        var bytes = GC.AllocateArray<byte>(Encoding.UTF8.GetByteCount(chars), pinned: true);
        Encoding.UTF8.GetBytes(chars, bytes);
        return bytes;
    }
}

/// <summary>Secrets one per line from a file or redirected standard input. A trailing CR is dropped.</summary>
public sealed class LineSecretSource : SecretSource
{
    readonly byte[] _content;
    readonly string _origin;
    int _position;

    internal LineSecretSource(byte[] content, string origin)
    {
        _content = content;
        _origin = origin;
    }

    /// <summary>The largest secrets file read: far more than any list of PINs and passphrases.</summary>
    public const int MaxFileBytes = 64 * 1024;

    public static LineSecretSource FromFile(string path)
    {
        byte[]? content;
        try
        {
            content = BoundedFile.Read(path, MaxFileBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RuntimeErrors.Runtime($"the secrets file {ErrorText.Escape(path)} cannot be read: {ErrorText.Describe(e)}");
        }
        if (content is null)
        {
            throw RuntimeErrors.Runtime($"the secrets file {ErrorText.Escape(path)} is larger than {MaxFileBytes / 1024} KiB; " +
                                        "expected one PIN or passphrase per line");
        }
        return new LineSecretSource(content, path);
    }

    public override bool IsInteractive => false;

    public override byte[] Read(string prompt)
    {
        if (_position >= _content.Length) throw RuntimeErrors.Runtime($"{_origin} has no more lines; expected one for: {prompt}");
        var rest = _content.AsSpan(_position);
        var newline = rest.IndexOf((byte)'\n');
        var line = newline < 0 ? rest : rest[..newline];
        _position += newline < 0 ? rest.Length : newline + 1;
        if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
        var secret = GC.AllocateArray<byte>(line.Length, pinned: true);
        line.CopyTo(secret);
        return secret;
    }

    public override void Dispose() => CryptographicOperations.ZeroMemory(_content);
}

/// <summary>Prompts on the terminal with echo off.</summary>
public sealed class TerminalSecretSource(TextWriter prompts) : SecretSource
{
    const int MaxLength = 1024;

    public override bool IsInteractive => true;

    public override byte[] Read(string prompt)
    {
        prompts.Write(prompt + ": ");
        prompts.Flush();
        var buffer = GC.AllocateArray<char>(MaxLength, pinned: true);
        var length = 0;
        try
        {
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter) break;
                if (key.Key == ConsoleKey.Backspace)
                {
                    if (length > 0) length--;
                    continue;
                }
                if (key.KeyChar == '\0' || char.IsControl(key.KeyChar)) continue;
                if (length == MaxLength) throw RuntimeErrors.Runtime($"the input for '{prompt}' is longer than {MaxLength} characters");
                buffer[length++] = key.KeyChar;
            }
            prompts.WriteLine();
            return Pinned(buffer.AsSpan(0, length));
        }
        catch (InvalidOperationException)
        {
            throw RuntimeErrors.Runtime("no terminal to ask for the secret; give a secrets file option or pipe the secrets on standard input");
        }
        finally
        {
            Array.Clear(buffer);
        }
    }
}
