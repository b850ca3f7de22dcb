namespace CloudIntegration.Errors;

/// <summary>
/// What a command says besides its result: facts to compare out of band (the wrapping key's fingerprint), notes
/// (a new world was created) and warnings. They are held, not printed: the command line prints them on stderr with a
/// successful result and drops them when the command fails, so a failed run's stderr is its one <c>error:</c> line.
/// Prompts are not diagnostics: a person must see them before typing, so they go to <see cref="Prompts"/> at once.
/// </summary>
public sealed class Diagnostics(TextWriter prompts)
{
    readonly List<(string Prefix, string Text)> _lines = [];
    readonly List<string> _failureNotes = [];
    int _printed;

    /// <summary>Where prompts and what a person must read before answering them go, unbuffered (stderr).</summary>
    public TextWriter Prompts => prompts;

    /// <summary>Every warning so far, in order, without the <c>warning: </c> prefix: the summary repeats them.</summary>
    public IReadOnlyList<string> Warnings => [.. _lines.Where(l => l.Prefix == WarningPrefix).Select(l => l.Text)];

    /// <summary>
    /// Facts that belong to the error if the command fails (a refusal that could not be recorded): the command line
    /// adds them to the one error line.
    /// </summary>
    public IReadOnlyList<string> FailureNotes => _failureNotes;

    const string WarningPrefix = "warning: ";

    public void Fact(string text) => _lines.Add(("", text));

    public void Note(string text) => _lines.Add(("note: ", text));

    public void Warn(string text) => _lines.Add((WarningPrefix, text));

    public void NoteForFailure(string text) => _failureNotes.Add(text);

    /// <summary>Shows a prompt's preamble now (e.g. "enter the PIN on the device"): the person acts on it.</summary>
    public void Prompt(string text)
    {
        prompts.WriteLine(text);
        prompts.Flush();
    }

    /// <summary>Prints what has not been printed yet. Called when the command has succeeded, before its summary.</summary>
    public void WriteTo(TextWriter output)
    {
        for (; _printed < _lines.Count; _printed++) output.WriteLine(_lines[_printed].Prefix + _lines[_printed].Text);
        output.Flush();
    }
}
