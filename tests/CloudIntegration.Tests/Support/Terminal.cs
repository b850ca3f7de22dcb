using System.Diagnostics;
using System.Text;

namespace CloudIntegration.Tests.Support;

/// <summary>
/// Runs the tool on a real pseudo-terminal (util-linux <c>script</c>), so the no-echo prompts are exercised as a person
/// at the keyboard meets them. Input is sent only after the prompt has appeared, as a person would.
/// </summary>
public sealed class Terminal : IDisposable
{
    readonly Process _process;
    readonly StringBuilder _transcript = new();
    readonly object _gate = new();

    public Terminal(string command, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var info = new ProcessStartInfo("script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in new[] { "-q", "-e", "-c", command, "/dev/null" }) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment) info.Environment[k] = v;
        _process = Process.Start(info)!;
        _ = Task.Run(() =>
        {
            var buffer = new char[256];
            int read;
            while ((read = _process.StandardOutput.Read(buffer, 0, buffer.Length)) > 0)
            {
                lock (_gate) _transcript.Append(buffer, 0, read);
            }
        });
    }

    /// <summary>Everything the terminal showed so far.</summary>
    public string Transcript
    {
        get { lock (_gate) return _transcript.ToString(); }
    }

    /// <summary>Waits until <paramref name="text"/> has appeared on the terminal (after what was already awaited).</summary>
    public void Expect(string text, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!Transcript.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"'{text}' never appeared; the terminal showed:\n{Transcript}");
            if (_process.HasExited && !Transcript.Contains(text, StringComparison.Ordinal))
            {
                Thread.Sleep(200);
                if (!Transcript.Contains(text, StringComparison.Ordinal))
                {
                    throw new Xunit.Sdk.XunitException($"the program ended before '{text}' appeared; the terminal showed:\n{Transcript}");
                }
            }
            Thread.Sleep(20);
        }
    }

    /// <summary>Types a line, ending it with Enter.</summary>
    public void TypeLine(string text)
    {
        // The prompt is printed just before the tool switches echo off; give it a moment to do so, as a typist would.
        Thread.Sleep(150);
        _process.StandardInput.Write(text + "\r");
        _process.StandardInput.Flush();
    }

    public int WaitForExit()
    {
        if (!_process.WaitForExit(60_000)) throw new Xunit.Sdk.XunitException("the program did not finish:\n" + Transcript);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
