using System.Security.Cryptography;
using System.Text;
using CloudIntegration.Audit;
using CloudIntegration.Ceremony;
using CloudIntegration.Errors;
using CloudIntegration.IO;
using CloudIntegration.KeyStores.SoftwareWorld;

namespace CloudIntegration.Cli;

/// <summary>
/// 'audit show' prints the trail for people; 'audit verify' checks its hash chain and sealed head and prints one line,
/// exit 0 when intact and 1 when not. Both read the world directory's trail, or copies of audit.log and audit.head
/// in the directory --dir names (an auditor's copy). The seal needs this machine's world key; --chain-only does
/// without it.
/// </summary>
public static class AuditCommand
{
    public const string Verb = "audit";
    public const string Summary = "show the audit trail, or verify its hash chain and seal (exit 0 intact, 1 not)";

    static readonly OptionSpec Dir = new(null, "dir", "DIR", "read audit.log and audit.head from DIR instead of the world directory");
    static readonly OptionSpec ChainOnly = new(null, "chain-only", null, "verify the hash chain without the world key (the seal is not checked)");
    static readonly string[] Subcommands = ["show", "verify"];

    static string Usage(string program) => $"{program} audit show [--dir DIR] | audit verify [--dir DIR] [--chain-only]";

    public static int Run(string[] argv, ToolEnvironment env)
    {
        var args = ParsedArguments.Parse(argv, [CommandOptions.Help, Dir, ChainOnly]);
        if (args.Has(CommandOptions.Help)) return Help(env);
        var (subcommand, arguments) = CommandLine.Subcommand(args, Verb, Subcommands);
        if (arguments.Count != 0 || (subcommand == "show" && args.Has(ChainOnly))) throw UsageErrors.WrongArguments(Usage(env.ProgramName));

        var worldRoot = KeyStoreSelection.WorldRoot(env);
        var copy = KeyStoreRequest.FullPath(args.Value(Dir), "--dir", CommandLine.Context(env));
        var trail = new AuditTrail(copy ?? worldRoot);
        // The live trail is read under its lock so the log and head belong together; a copy is read as it is.
        var snapshot = copy is null && Directory.Exists(trail.Directory) ? trail.ReadLocked() : trail.Read();
        if (snapshot.IsEmpty) throw RuntimeErrors.NoAuditTrail(trail.Directory);
        return subcommand == "show" ? Show(snapshot, env) : Verify(snapshot, args.Has(ChainOnly) ? null : worldRoot, env);
    }

    /// <summary>Checks the chain, and with the world at <paramref name="worldRoot"/> (null: --chain-only) the seal.</summary>
    static int Verify(AuditTrail.Snapshot snapshot, string? worldRoot, ToolEnvironment env)
    {
        byte[]? sealKey = worldRoot is null ? null : SealKey(worldRoot);
        try
        {
            var verdict = AuditVerifier.Verify(snapshot, sealKey);
            env.Out.WriteLine($"audit verify: {(verdict.Ok ? "" : "FAILED: ")}{verdict.Message}");
            return verdict.Ok ? ExitCodes.Success : ExitCodes.Failure;
        }
        finally
        {
            if (sealKey is not null) CryptographicOperations.ZeroMemory(sealKey);
        }
    }

    static byte[] SealKey(string worldRoot)
    {
        using var world = SoftwareWorld.OpenExistingKeyDerivation(worldRoot) ?? throw RuntimeErrors.AuditNoWorldKey(Path.Combine(worldRoot, "world.key"));
        return AuditSeal.DeriveKey(world);
    }

    /// <summary>Each entry as a heading line and indented facts; lines that are not entries are shown as they are.</summary>
    static int Show(AuditTrail.Snapshot snapshot, ToolEnvironment env)
    {
        var text = new StringBuilder();
        for (var i = 0; i < snapshot.Lines.Count; i++)
        {
            if (AuditEntry.TryParse(snapshot.Lines[i]) is not { } e)
            {
                text.Append($"line {i + 1}: not a valid entry: {ErrorText.Shorten(Encoding.UTF8.GetString(snapshot.Lines[i]))}\n");
                continue;
            }
            text.Append($"#{e.Seq}  {TextFormats.Utc(e.Time, TextFormats.ReadableTime)}Z  {e.Event} {e.Outcome}  by {e.User} on {e.Host} ({e.Tool})\n");
            Line(text, "key", e.Key is null ? null : $"{e.Key} ({string.Join(", ", new[] { e.KeyType, e.Protection, Identity(e) }.OfType<string>())})");
            Line(text, "key store", e.KeyStore);
            if (e.Provider is not null)
            {
                Line(text, "provider", $"{e.Provider}, {e.WrapAlgorithm}; wrapping key RSA-{e.WrappingKeyBits} SHA-256 {e.WrappingKeyFingerprint}");
            }
            if (e.Files.Count > 0) Line(text, "directory", e.OutputDirectory);
            foreach (var file in e.Files) Line(text, "file", $"{file.Name}  SHA-256 {file.Sha256}");
            Line(text, "error", e.Error);
            Line(text, "note", e.Note);
        }
        if (snapshot.UnterminatedTail is not null) text.Append($"line {snapshot.Lines.Count + 1}: incomplete (no newline)\n");
        text.Append($"{snapshot.Lines.Count} entr{(snapshot.Lines.Count == 1 ? "y" : "ies")}; run 'audit verify' to check them\n");
        env.Out.Write(text.ToString());
        return ExitCodes.Success;
    }

    static string? Identity(AuditEntry e) =>
        e.KeyFingerprint is { } fp ? "SHA-256 " + fp[..Math.Min(16, fp.Length)] : e.KeyCheckValue is { } kcv ? "kcv " + kcv : null;

    static void Line(StringBuilder text, string label, string? value)
    {
        if (value is not null) text.Append("    ").Append((label + ":").PadRight(11)).Append(value).Append('\n');
    }

    static int Help(ToolEnvironment env)
    {
        env.Out.Write($"""
            usage: {Usage(env.ProgramName)}

            Every key generation, export, destruction and refused attempt is recorded as one line of JSON in audit.log in
            the world directory. Each line holds the SHA-256 of the line before it, and audit.head, sealed with a key
            derived from the world key, records how many lines there are and the hash of the last. 'verify' finds any
            edited, deleted, inserted or reordered line and a cut-off end, and names the line. See docs/ceremony.md.

            options:
              --dir DIR                 read audit.log and audit.head from DIR (e.g. an auditor's copy)
              --chain-only              verify without the world key: the chain and the head's count, not the seal

            """);
        return ExitCodes.Success;
    }
}
