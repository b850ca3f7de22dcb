using System.Text;
using System.Text.Json;
using CloudIntegration.Audit;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests.Ceremony;

/// <summary>
/// The audit trail: what is recorded, that 'audit verify' passes on an untouched trail and names the line of every
/// kind of tampering, that a trail whose end was tampered with is never extended, and that concurrent runs chain.
/// </summary>
public sealed class AuditTrailTests
{
    static readonly ExportCase Aws = ExportCases.All.First(c => c.Provider == "aws" && c.Algorithm == "RSAES_OAEP_SHA_256");
    static readonly ExportCase GoogleAes = ExportCases.All.First(c => c.Provider == "google-cloud-key-management" && c.KeyType == "AES-256");

    /// <summary>Seven entries: two exports of k1 (one generating it), a refused export, k2 made and destroyed.</summary>
    static Tool MakeTrail(Scratch scratch)
    {
        var tool = Tool.In(scratch);
        var aws = Aws.Arguments("k1", ProviderKeyPair.Get(Aws.WrappingBits).WrapKeyFile(Aws.Form));
        tool.Run(aws).Ok();
        tool.Run(aws).Ok();
        var google = GoogleAes.Arguments("k1", ProviderKeyPair.Get(GoogleAes.WrappingBits).WrapKeyFile(GoogleAes.Form));
        Assert.Equal(2, tool.Run([.. google[..4], "-k", "RSA-2048"]).ExitCode);       // k1 is AES-256: refused
        tool.Run(GoogleAes.Arguments("k2", ProviderKeyPair.Get(GoogleAes.WrappingBits).WrapKeyFile(GoogleAes.Form))).Ok();
        tool.Keys("destroy", "k2", "--yes").Ok();
        return tool;
    }

    [Fact]
    public void Every_generation_export_destruction_and_refusal_is_one_entry_with_public_facts_only()
    {
        using var scratch = new Scratch();
        var tool = MakeTrail(scratch);
        var entries = tool.AuditEntries();
        Assert.Equal(["generate ok", "export ok", "export ok", "export refused", "generate ok", "export ok", "destroy ok"],
                     entries.Select(e => $"{e.GetProperty("event").GetString()} {e.GetProperty("outcome").GetString()}"));
        Assert.Equal(Enumerable.Range(1, 7), entries.Select(e => e.GetProperty("seq").GetInt32()));

        var export = entries[1];
        foreach (var field in new[] { "time", "user", "host", "tool", "keyStore", "key", "keyId", "keyType", "protection", "keyCheckValue",
                                      "provider", "wrapAlgorithm", "wrappingKeyFingerprint", "outputDirectory" })
        {
            Assert.True(export.GetProperty(field).ValueKind == JsonValueKind.String, $"{field} is missing");
        }
        Assert.Equal(1, export.GetProperty("module").GetInt32());
        Assert.Equal(Aws.WrappingBits, export.GetProperty("wrappingKeyBits").GetInt32());
        Assert.Equal(CeremonyTool.Sha256Hex(File.ReadAllBytes(ProviderKeyPair.Get(Aws.WrappingBits).PublicDer)),
                     export.GetProperty("wrappingKeyFingerprint").GetString());
        Assert.Equal("k1-wrapped", export.GetProperty("files")[0].GetProperty("name").GetString());
        Assert.Matches("^[0-9a-f]{64}$", export.GetProperty("files")[0].GetProperty("sha256").GetString());
        Assert.StartsWith("key 'k1' already exists as AES-256, but -k RSA-2048 was given", entries[3].GetProperty("error").GetString());

        // No secret: the unwrapped AES key appears nowhere in the trail, in any encoding.
        var key = ProviderOracle.Import(GoogleAes, tool.WorkingDirectory, "k2", ProviderKeyPair.Get(GoogleAes.WrappingBits));
        PlaintextSearch.AssertAbsent(tool.WorldDirectory, key);

        var shown = tool.Audit("show").Ok().Stdout;
        Assert.Contains("#4  ", shown);
        Assert.Contains("export refused", shown);
        Assert.Contains("    file:      k1-wrapped  SHA-256 " + export.GetProperty("files")[0].GetProperty("sha256").GetString(), shown);
        Assert.EndsWith("7 entries; run 'audit verify' to check them\n", shown);
    }

    [Fact]
    public void Every_line_parses_back_to_what_was_written_and_only_successful_exports_carry_the_inventorys_marker()
    {
        using var scratch = new Scratch();
        var tool = MakeTrail(scratch);
        var lines = File.ReadAllLines(Path.Combine(tool.WorldDirectory, AuditTrail.LogFile));
        Assert.Equal(7, lines.Length);
        foreach (var line in lines)
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            var entry = AuditEntry.TryParse(bytes);
            Assert.NotNull(entry);
            // The line is the entry as written, then its MAC: every field came back.
            var written = Encoding.UTF8.GetString(entry.ToLine());
            Assert.StartsWith(written[..^1] + ",\"mac\":\"", line);
            var isSuccessfulExport = entry is { Event: AuditEntry.Export, Outcome: AuditEntry.Ok };
            Assert.Equal(isSuccessfulExport, bytes.AsSpan().IndexOf(AuditEntry.SuccessfulExportMarker) >= 0);
        }
        Assert.Equal(3, new AuditTrail(tool.WorldDirectory).SuccessfulExports().Count);
    }

    [Fact]
    public void An_untouched_trail_verifies_with_and_without_the_world_key_and_from_an_auditors_copy()
    {
        using var scratch = new Scratch();
        var tool = MakeTrail(scratch);
        var verified = tool.Audit("verify").Ok();
        Assert.Matches(@"^audit verify: OK: 7 entries, hash chain intact, last entry [-0-9: ]+Z, head [0-9a-f]{16}, sealed by this world\n$", verified.Stdout);
        Assert.StartsWith("audit verify: chain OK: 7 entries", tool.Audit("verify", "--chain-only").Ok().Stdout);

        // The auditor's copy, on a machine without the world: the chain checks, the seal cannot.
        var copy = scratch.Dir("for-the-auditor");
        File.Copy(tool.AuditLog(), Path.Combine(copy, "audit.log"));
        File.Copy(tool.AuditHead(), Path.Combine(copy, "audit.head"));
        var auditor = new Tool { WorldDirectory = Path.Combine(scratch.Root, "no-world-here"), WorkingDirectory = scratch.Dir("auditor") };
        Assert.StartsWith("audit verify: chain OK: 7 entries", auditor.Audit("verify", "--dir", copy, "--chain-only").Ok().Stdout);
        var noKey = auditor.Audit("verify", "--dir", copy);
        Assert.Equal(1, noKey.ExitCode);
        Assert.Contains("the audit seal needs the world key", noKey.Stderr);
        Assert.False(Directory.Exists(auditor.WorldDirectory), "verifying must not create a world");
        // On the ceremony machine the copy verifies in full.
        Assert.StartsWith("audit verify: OK: 7 entries", tool.Audit("verify", "--dir", copy).Ok().Stdout);
    }

    /// <summary>
    /// 'audit verify --dir' reads whatever it is given: a log over the bound (a sparse file, so the test writes
    /// nothing) is refused in one line without being read, as is the live trail's.
    /// </summary>
    [Fact]
    public void An_oversized_log_is_refused_in_one_line()
    {
        using var scratch = new Scratch();
        var tool = MakeTrail(scratch);
        var copy = scratch.Dir("oversized");
        File.Copy(tool.AuditHead(), Path.Combine(copy, "audit.head"));
        using (var log = File.Create(Path.Combine(copy, "audit.log"))) log.SetLength(AuditTrail.MaxLogBytes + 1L);

        var result = tool.Audit("verify", "--dir", copy);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: the audit trail {Path.Combine(copy, "audit.log")} cannot be read: it is larger than 256 MiB, the most this tool reads\n",
                     result.Stderr);
        Assert.Empty(result.Stdout);
    }

    public static TheoryData<string, string, bool> Tamperings() => new()
    {
        // name, what 'audit verify' must say, and whether it is found without the world key too
        { "edit line 3", "line 4 (entry 4) does not chain to line 3: entry 3 was edited", true },
        { "edit the last line", "line 7 (the last entry) differs from the sealed head: it was edited", true },
        { "delete line 3", "entry 3 is missing (deleted): line 3 holds entry 4", true },
        { "delete the first line", "entry 1 is missing (deleted): line 1 holds entry 2", true },
        { "insert a copy of line 2 after line 4", "line 5 holds entry 2, which came earlier: a line was inserted at or before line 5", true },
        { "insert a forged line after line 4", "line 6 holds entry 5, which came earlier: a line was inserted at or before line 6", true },
        { "swap lines 3 and 4", "line 3 holds entry 4, and entry 3 is at line 4: the entries were reordered", true },
        { "truncate the last two lines", "the log ends at line 5 but the sealed head records 7 entries: the last 2 entries were removed (truncated)", true },
        { "append a forged line", "line 8 is not covered by the sealed head", true },
        { "reseal the head without the key", "the seal of audit.head does not verify", true },
        { "truncate and rewrite the head to match", "the seal of audit.head does not verify", false },
        { "delete the head", "audit.head is missing", true },
        { "delete the log", "audit.log is missing (deleted?), but the head records 7 entries", true },
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void Verify_names_the_line_of_every_tampering(string tampering, string expected, bool foundWithoutWorldKey)
    {
        using var scratch = new Scratch();
        var tool = MakeTrail(scratch);
        Tamper(tool, tampering);

        var result = tool.Audit("verify");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"audit verify: FAILED: {expected}", result.Stdout);
        Assert.Single(result.Stdout.TrimEnd('\n').Split('\n'));

        var chainOnly = tool.Audit("verify", "--chain-only");
        Assert.Equal(foundWithoutWorldKey ? 1 : 0, chainOnly.ExitCode);
    }

    [Theory]
    [InlineData("truncate the last two lines")]
    [InlineData("edit the last line")]
    [InlineData("delete the head")]
    public void A_trail_whose_end_was_tampered_with_is_never_extended(string tampering)
    {
        using var scratch = new Scratch();
        var tool = MakeTrail(scratch);
        Tamper(tool, tampering);
        var log = File.Exists(tool.AuditLog()) ? File.ReadAllBytes(tool.AuditLog()) : [];
        foreach (var f in Directory.GetFiles(tool.WorkingDirectory)) File.Delete(f);

        var result = tool.Run(Aws.Arguments("k3", ProviderKeyPair.Get(Aws.WrappingBits).WrapKeyFile(Aws.Form)));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: the audit trail in " + tool.WorldDirectory + " no longer matches its sealed head", result.Stderr);
        Assert.Empty(Directory.GetFiles(tool.WorkingDirectory));
        Assert.DoesNotContain(tool.Keys("list", "--json").Ok().Json().GetProperty("keys").EnumerateArray(), k => k.GetProperty("name").GetString() == "k3");
        Assert.Equal(1, tool.Keys("destroy", "k1", "--yes").ExitCode);
        Assert.Equal(log, File.Exists(tool.AuditLog()) ? File.ReadAllBytes(tool.AuditLog()) : []);
    }

    [Fact]
    public void A_refused_export_of_a_tampered_key_is_recorded_with_its_error()
    {
        using var scratch = new Scratch();
        var tool = MakeTrail(scratch);
        var path = Path.Combine(tool.WorldDirectory, "keys", "k1.key");
        var lines = File.ReadAllText(path).Split('\n');
        lines[3] = (lines[3][0] == 'A' ? "B" : "A") + lines[3][1..];
        File.WriteAllText(path, string.Join('\n', lines));

        var result = tool.Run(Aws.Arguments("k1", ProviderKeyPair.Get(Aws.WrappingBits).WrapKeyFile(Aws.Form)));
        Assert.Equal(1, result.ExitCode);
        var last = tool.AuditEntries()[^1];
        Assert.Equal("refused", last.GetProperty("outcome").GetString());
        Assert.Contains("key 'k1' failed its integrity check", last.GetProperty("error").GetString());
        Assert.StartsWith("audit verify: OK: 8 entries", tool.Audit("verify").Ok().Stdout);
    }

    [Fact]
    public async Task Concurrent_exports_leave_one_valid_chain_with_every_entry()
    {
        using var scratch = new Scratch();
        var world = Path.Combine(scratch.Root, "world");
        var wrapKey = ProviderKeyPair.Get(Aws.WrappingBits).WrapKeyFile(Aws.Form);
        // Three race for one key name (one generates it, all export it); three make keys of their own.
        var names = new[] { "shared", "shared", "shared", "own-1", "own-2", "own-3" };
        var tools = names.Select((n, i) => new Tool { WorldDirectory = world, WorkingDirectory = scratch.Dir("out" + i) }).ToList();
        var processes = tools.Select((t, i) => t.Start(Aws.Arguments(names[i], wrapKey))).ToList();
        foreach (var p in processes)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, stderr + await stdout);
        }

        Assert.StartsWith("audit verify: OK: 10 entries", tools[0].Audit("verify").Ok().Stdout);
        var entries = tools[0].AuditEntries();
        Assert.Equal(4, entries.Count(e => e.GetProperty("event").GetString() == "generate"));
        Assert.Equal(6, entries.Count(e => e.GetProperty("event").GetString() == "export"));
        Assert.Equal(3, tools[0].Keys("show", "shared", "--json").Ok().Json().GetProperty("exports").GetInt32());
    }

    /// <summary>
    /// A full disk under the world: the record of a refusal cannot be written, and the partial line the disk took is
    /// cut off again, so the trail still verifies and takes the next record once there is space. Needs root (tmpfs).
    /// </summary>
    [Fact]
    public void A_record_that_does_not_fit_on_the_disk_leaves_the_trail_as_it_was()
    {
        using var scratch = new Scratch();
        var mount = scratch.Dir("tiny");
        RunOk("mount", "-t", "tmpfs", "-o", "size=32k,mode=0755", "tmpfs", mount);
        try
        {
            var tool = new Tool { WorldDirectory = Path.Combine(mount, "world"), WorkingDirectory = scratch.Dir("out") };
            var wrapKey = ProviderKeyPair.Get(Aws.WrappingBits).WrapKeyFile(Aws.Form);
            tool.Run(Aws.Arguments("k1", wrapKey)).Ok();
            var log = File.ReadAllBytes(tool.AuditLog());
            var filler = Path.Combine(mount, "filler");
            using (var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                try { while (true) stream.Write(new byte[512]); } catch (IOException) { }
                try { while (true) stream.Write(new byte[1]); } catch (IOException) { }
            }

            var failed = tool.Run(Aws.Arguments("k2", wrapKey));
            Assert.Equal(1, failed.ExitCode);
            // One error line, which also says that the refusal went unrecorded.
            var error = Assert.Single(failed.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: ", error);
            Assert.Contains("(also: this refusal could not be recorded in the audit trail", error);
            Assert.Equal(log, File.ReadAllBytes(tool.AuditLog()));
            Assert.StartsWith("audit verify: OK: 2 entries", tool.Audit("verify").Ok().Stdout);

            File.Delete(filler);
            tool.Run(Aws.Arguments("k2", wrapKey)).Ok();
            Assert.StartsWith("audit verify: OK: 4 entries", tool.Audit("verify").Ok().Stdout);
        }
        finally
        {
            RunOk("umount", "-l", mount);
        }
    }

    static void RunOk(params string[] command)
    {
        var info = new System.Diagnostics.ProcessStartInfo(command[0]) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in command[1..]) info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{string.Join(' ', command)}: {stderr} (this test mounts a tmpfs and needs root)");
    }

    static void Tamper(Tool tool, string how)
    {
        var lines = File.ReadAllLines(tool.AuditLog()).ToList();
        switch (how)
        {
            case "edit line 3": lines[2] = lines[2].Replace("\"user\":\"", "\"user\":\"x", StringComparison.Ordinal); break;
            case "edit the last line": lines[^1] = lines[^1].Replace("\"outcome\":\"ok\"", "\"outcome\":\"refused\"", StringComparison.Ordinal); break;
            case "delete line 3": lines.RemoveAt(2); break;
            case "delete the first line": lines.RemoveAt(0); break;
            case "insert a copy of line 2 after line 4": lines.Insert(4, lines[1]); break;
            case "insert a forged line after line 4": lines.Insert(4, Forge(lines[3], seq: 5, after: lines[3])); break;
            case "swap lines 3 and 4": (lines[2], lines[3]) = (lines[3], lines[2]); break;
            case "truncate the last two lines": lines.RemoveRange(5, 2); break;
            case "append a forged line": lines.Add(Forge(lines[^1], seq: 8, after: lines[^1])); break;
            case "reseal the head without the key":
                File.WriteAllText(tool.AuditHead(), File.ReadAllText(tool.AuditHead()).Replace("\"entries\":7", "\"entries\":6", StringComparison.Ordinal));
                return;
            case "truncate and rewrite the head to match":
                lines.RemoveRange(5, 2);
                File.WriteAllText(tool.AuditHead(), File.ReadAllText(tool.AuditHead())
                    .Replace("\"entries\":7", "\"entries\":5", StringComparison.Ordinal)
                    .Replace(CeremonyTool.Sha256Hex(Encoding.UTF8.GetBytes(File.ReadAllLines(tool.AuditLog())[^1])),
                             CeremonyTool.Sha256Hex(Encoding.UTF8.GetBytes(lines[^1])), StringComparison.Ordinal));
                break;
            case "delete the head": File.Delete(tool.AuditHead()); return;
            case "delete the log": File.Delete(tool.AuditLog()); return;
            default: throw new ArgumentException(how);
        }
        File.WriteAllText(tool.AuditLog(), string.Join("", lines.Select(l => l + "\n")));
    }

    /// <summary>A line that chains correctly to <paramref name="after"/>: what someone without the world key can make.</summary>
    static string Forge(string template, int seq, string after)
    {
        var prev = CeremonyTool.Sha256Hex(Encoding.UTF8.GetBytes(after));
        var seqStart = template.IndexOf("\"seq\":", StringComparison.Ordinal) + 6;
        var seqEnd = template.IndexOf(',', seqStart);
        var forged = template[..seqStart] + seq + template[seqEnd..];
        return forged[..forged.IndexOf("\"prev\":\"", StringComparison.Ordinal)] + $"\"prev\":\"{prev}\"}}";
    }
}
