using System.Diagnostics;
using System.Text;
using CloudIntegration.Audit;
using CloudIntegration.Errors;
using CloudIntegration.KeyStores.SoftwareWorld;
using CloudIntegration.KeyStores.SoftwareWorld.Protections;
using CloudIntegration.Tests.Ceremony;
using CloudIntegration.Tests.Support;
using CloudIntegration.Wrapping;
using Xunit;
using Xunit.Abstractions;

namespace CloudIntegration.Tests.Reliability;

/// <summary>
/// A mutation fuzzer over the real parsers, in process, with a fixed seed: the wrapping-key reader, key files,
/// softcard, card and card set files, the audit log and its head. Seeds are real files made by the tool (and by
/// openssl for the wrapping keys); each input is a seed changed one to four times (bit flips, bytes set to edge
/// values, insertions of format tokens, deletions, duplications, cuts, splices of two seeds). Every input must end in
/// success or a <see cref="ToolError"/>, never in any other exception. The count is CLOUD_INTEGRATION_FUZZ_INPUTS
/// (2,000 in the suite; scripts/reliability.sh runs 10,000).
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    public const string InputsVariable = "CLOUD_INTEGRATION_FUZZ_INPUTS";
    const int Seed = 20261202;

    static int Inputs => int.TryParse(Environment.GetEnvironmentVariable(InputsVariable), out var n) && n > 0 ? n : 2000;

    /// <summary>One parser under test: its seeds and how one input is fed to it.</summary>
    sealed record Target(string Name, IReadOnlyList<byte[]> Seeds, string[] Files, Action<byte[]> Feed)
    {
        public int Accepted, Refused;
        public Stopwatch Time { get; } = new();
    }

    [Fact]
    public void Every_mutated_input_ends_in_success_or_a_typed_error()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var world = new FuzzWorld(tool, scratch);
        var targets = world.Targets();
        var random = new Random(Seed);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < Inputs; i++)
        {
            var target = targets[i % targets.Count];
            var input = Mutator.Mutate(random, target.Seeds);
            target.Time.Start();
            try
            {
                target.Feed(input);
                target.Accepted++;
            }
            catch (ToolError)
            {
                target.Refused++;
            }
            catch (Exception e)
            {
                failures.Add($"{target.Name} input {i}: {e.GetType().Name}: {e.Message}\n  input (hex, first 256 bytes): " +
                             $"{Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 256)))}\n{e.StackTrace}");
            }
            finally
            {
                target.Time.Stop();
                world.Restore(target.Files);
            }
        }

        var summary = $"fuzz: {Inputs} inputs (seed {Seed}), {targets.Sum(t => t.Accepted)} accepted, " +
                      $"{targets.Sum(t => t.Refused)} refused with a typed error, {failures.Count} other exceptions, " +
                      $"{clock.Elapsed.TotalSeconds:F1} s; " + string.Join(", ", targets.Select(t => $"{t.Name} {t.Accepted + t.Refused} ({t.Time.ElapsedMilliseconds} ms)"));
        output.WriteLine(summary);
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(5)));
    }

    /// <summary>A world with one file of every kind, the seeds taken from it, and a way to put it back after each input.</summary>
    sealed class FuzzWorld
    {
        readonly Tool _tool;
        readonly string _root;
        readonly Dictionary<string, byte[]> _originals = [];
        readonly string _card;
        readonly byte[] _sealKey;

        public FuzzWorld(Tool tool, Scratch scratch)
        {
            _tool = tool;
            _root = tool.WorldDirectory;
            var wrapKey = ProviderKeyPair.Get(2048);
            tool.Run("aws", "k-aes", wrapKey.PublicDer, "RSAES_OAEP_SHA_256").Ok();
            tool.Run("microsoft-azure", "k-rsa", wrapKey.PublicPem, "-a", Cases.ExportCase.AzureKek).Ok();
            tool.Run("microsoft-azure", "k-ec", wrapKey.PublicPem, "-a", Cases.ExportCase.AzureKek, "-k", "EC-NISTP256").Ok();
            ProtectionFixtures.NewSoftcard(tool, scratch, "sc", "softcard passphrase");
            var cards = ProtectionFixtures.NewCardSet(tool, scratch, "set", 1, ["card passphrase 1", "card passphrase 2"], scratch.Dir("cards"));
            _card = cards[0];
            foreach (var path in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Append(_card))
            {
                _originals[path] = File.ReadAllBytes(path);
            }
            _sealKey = TestSealKey.Of(_root);
        }

        byte[][] Files(string pattern) => [.. _originals.Where(f => Path.GetFileName(f.Key).EndsWith(pattern, StringComparison.Ordinal)).Select(f => f.Value)];

        public List<Target> Targets()
        {
            var keys = ProviderKeyPair.Get(2048);
            byte[][] wrapSeeds = [.. new[] { keys.PublicDer, keys.PublicPem, keys.CertificatePem, keys.CertificateDer, keys.PublicBase64 }.Select(File.ReadAllBytes)];
            var keyPath = Path.Combine(_root, "keys", "k-aes.key");
            var softcard = Softcard.PathFor(_root, "sc");
            var cardSet = CardSet.PathFor(_root, "set");
            var log = Path.Combine(_root, AuditTrail.LogFile);
            var head = Path.Combine(_root, AuditTrail.HeadFile);
            return
            [
                new("wrapping key", wrapSeeds, [], input => WrappingKeyFileReader.ReadContent(input, "fuzz-input", DateTime.UtcNow)),
                new("key file", Files(".key"), [keyPath], input => { File.WriteAllBytes(keyPath, input); ThroughTheCommandLine("keys", "show", "k-aes"); }),
                new("softcard", Files(".softcard"), [softcard], input => { File.WriteAllBytes(softcard, input); Softcard.Load(_root, "sc"); }),
                new("card", Files(".card"), [_card], input =>
                {
                    File.WriteAllBytes(_card, input);
                    if (!Card.TryRead(_card, out _, out var problem)) throw RuntimeErrors.Runtime(problem);
                }),
                new("card set", Files(".cardset"), [cardSet], input => { File.WriteAllBytes(cardSet, input); CardSet.Load(_root, "set"); }),
                new("audit log", [_originals[log]], [log, head], input => { File.WriteAllBytes(log, input); Audit(); }),
                new("audit head", [_originals[head]], [log, head], input => { File.WriteAllBytes(head, input); Audit(); }),
                new("world key", Files("world.key"), [Path.Combine(_root, "world.key")], input => { File.WriteAllBytes(Path.Combine(_root, "world.key"), input); ThroughTheCommandLine("keys", "list"); }),
            ];
        }

        /// <summary>The verifier, the append check (which may reseal), and what 'audit show' prints.</summary>
        void Audit()
        {
            var trail = new AuditTrail(_root);
            AuditVerifier.Verify(trail.Read(), _sealKey);
            ThroughTheCommandLine("audit", "show");
            trail.CheckAppendable(_sealKey);
        }

        /// <summary>The command line turns any exception into one line; "unexpected failure" is what it says for a non-typed one.</summary>
        void ThroughTheCommandLine(params string[] args)
        {
            var result = _tool.Run(args);
            if (result.Stderr.Contains("unexpected failure", StringComparison.Ordinal)) throw new InvalidOperationException(result.Stderr);
            var errors = result.Stderr.Split('\n').Count(l => l.StartsWith("error: ", StringComparison.Ordinal));
            if (result.ExitCode != 0 && errors != 1) throw new InvalidOperationException("not exactly one error line: " + result);
            if (result.ExitCode != 0) throw RuntimeErrors.Runtime(result.Stderr);
        }

        /// <summary>Puts back the files an input touched (a repaired audit trail rewrites both of its files).</summary>
        public void Restore(string[] files)
        {
            foreach (var path in files) File.WriteAllBytes(path, _originals[path]);
        }
    }
}

/// <summary>Changes a seed the ways a damaged disk, a careless editor or a hostile hand would.</summary>
static class Mutator
{
    static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "\n", "\r\n", "\"", "{", "}", ",", ":", "null", "0", "-1", "99999999999999999999", "1e400", "\\u0000", "=", "==",
            "-----", "-----BEGIN ", "-----END ", "PUBLIC KEY", "CERTIFICATE", "RSA PUBLIC KEY", "PRIVATE KEY", "sha256:",
            "\"seq\":", "\"prev\":\"", "\"mac\":\"", "\"entries\":", "\"quorum\":", "\"iterations\":", "\u00ff\u00fe",
        }.Select(Encoding.UTF8.GetBytes),
        [0x30, 0x82, 0xFF, 0xFF], [0x30, 0x80], [0x02, 0x81, 0x81, 0x00], [0x03, 0x00], [0x06, 0x00], [0x05, 0x00], [0x00], [0xFF],
    ];

    static readonly byte[] Edges = [0x00, 0x01, 0x7F, 0x80, 0xFF, (byte)'\n', (byte)'"', (byte)'-', (byte)'A', (byte)'0'];

    public static byte[] Mutate(Random random, IReadOnlyList<byte[]> seeds)
    {
        var data = new List<byte>(seeds[random.Next(seeds.Count)]);
        var changes = random.Next(1, 5);
        for (var i = 0; i < changes; i++)
        {
            var at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(8))
            {
                case 0 when data.Count > 0: data[at] ^= (byte)(1 << random.Next(8)); break;
                case 1 when data.Count > 0: data[at] = Edges[random.Next(Edges.Length)]; break;
                case 2: data.InsertRange(at, Tokens[random.Next(Tokens.Length)]); break;
                case 3 when data.Count > 0: data.RemoveRange(at, Math.Min(data.Count - at, random.Next(1, 64))); break;
                case 4 when data.Count > 0: data.InsertRange(at, data.GetRange(at, Math.Min(data.Count - at, random.Next(1, 64)))); break;
                case 5: data.RemoveRange(at, data.Count - at); break;
                case 6:
                    var other = seeds[random.Next(seeds.Count)];
                    var from = random.Next(other.Length + 1);
                    data.RemoveRange(at, data.Count - at);
                    data.AddRange(other.AsSpan(from).ToArray());
                    break;
                default:
                    var random4 = new byte[random.Next(1, 9)];
                    random.NextBytes(random4);
                    data.InsertRange(at, random4);
                    break;
            }
        }
        return [.. data];
    }
}

/// <summary>The audit seal key of an existing world, derived as 'audit verify' derives it.</summary>
static class TestSealKey
{
    public static byte[] Of(string worldRoot)
    {
        using var world = SoftwareWorld.OpenExistingKeyDerivation(worldRoot)!;
        return AuditSeal.DeriveKey(world);
    }
}
