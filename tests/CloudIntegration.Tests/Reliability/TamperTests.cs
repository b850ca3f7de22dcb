using System.Text;
using CloudIntegration.Audit;
using CloudIntegration.Errors;
using CloudIntegration.KeyStores.SoftwareWorld;
using CloudIntegration.Tests.Ceremony;
using CloudIntegration.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace CloudIntegration.Tests.Reliability;

/// <summary>
/// Every kind of file the tool stores, one registry: each byte of each is changed in turn (one bit flipped) and the
/// command that uses the file must refuse it with one error line and write nothing. Where a file carries a plain
/// checksum line (softcard, card, card set), every header field is also changed with the checksum recomputed, as a
/// forger would, and the real open (passphrases, cards) must still refuse it: the checksum is for accidents, the
/// cryptography is what stops a forger.
/// </summary>
public sealed class TamperTests(ITestOutputHelper output)
{
    const string SoftcardPassphrase = "softcard passphrase";
    static readonly string[] CardPassphrases = ["card passphrase 1", "card passphrase 2"];

    /// <summary>One kind of stored file: where it is, and the run that must refuse it once it is changed.</summary>
    sealed record StoredFile(string Kind, string Path, Func<ToolResult> Use, bool HasChecksum);

    sealed class World : IDisposable
    {
        public Scratch Scratch { get; } = new();
        public Tool Tool { get; }
        public string WrapKey { get; } = ProviderKeyPair.Get(2048).PublicDer;
        public string Card { get; }
        readonly string _passphrases;
        readonly string _cardPassphrase;

        public World()
        {
            Tool = Tool.In(Scratch);
            _passphrases = ProtectionFixtures.PassphraseFile(Scratch, SoftcardPassphrase);
            _cardPassphrase = ProtectionFixtures.PassphraseFile(Scratch, CardPassphrases[0]);
            Tool.Run(Export("k-module")).Ok();
            ProtectionFixtures.NewSoftcard(Tool, Scratch, "sc", SoftcardPassphrase);
            Tool.Run(Export("k-softcard", "-S", "sc", "--passphrase-file", _passphrases)).Ok();
            Card = ProtectionFixtures.NewCardSet(Tool, Scratch, "set", 1, CardPassphrases, Scratch.Dir("cards"))[0];
            Tool.Run(Export("k-cardset", "-O", "set", "--card", Card, "--passphrase-file", _cardPassphrase)).Ok();
            Clean();
        }

        string[] Export(string key, params string[] options) => [.. options, "aws", key, WrapKey, "RSAES_OAEP_SHA_256"];

        public string In(params string[] parts) => Path.Combine([Tool.WorldDirectory, .. parts]);

        public IReadOnlyList<StoredFile> Files()
        {
            ToolResult Module() => Tool.Run(Export("k-module"));
            ToolResult Softcard() => Tool.Run(Export("k-softcard", "-S", "sc", "--passphrase-file", _passphrases));
            ToolResult CardSet() => Tool.Run(Export("k-cardset", "-O", "set", "--card", Card, "--passphrase-file", _cardPassphrase));
            ToolResult Audit() => Tool.Audit("verify");
            return
            [
                new("key", In("keys", "k-module.key"), Module, HasChecksum: false),
                new("world key", In("world.key"), Module, HasChecksum: false),
                new("softcard", In("softcards", "sc.softcard"), Softcard, HasChecksum: true),
                new("card", Card, CardSet, HasChecksum: true),
                new("card set", In("cardsets", "set.cardset"), CardSet, HasChecksum: true),
                new("audit log", In(AuditTrail.LogFile), Audit, HasChecksum: false),
                new("audit head", In(AuditTrail.HeadFile), Audit, HasChecksum: false),
            ];
        }

        public void Clean()
        {
            foreach (var f in Directory.GetFiles(Tool.WorkingDirectory)) File.Delete(f);
        }

        public void Dispose() => Scratch.Dispose();
    }

    static void AssertRefused(ToolResult result, World world, string what)
    {
        Assert.True(result.ExitCode == 1, $"{what}: {result}");
        Assert.DoesNotContain("unexpected failure", result.Stderr);
        if (result.Stderr.Length > 0)
        {
            Assert.True(result.Stderr.Split('\n').Count(l => l.StartsWith("error: ", StringComparison.Ordinal)) == 1, $"{what}: {result}");
        }
        Assert.True(Directory.GetFiles(world.Tool.WorkingDirectory).Length == 0, $"{what}: an output was written");
    }

    [Fact]
    public void Every_byte_of_every_stored_file_is_protected()
    {
        using var world = new World();
        var sealKey = TestSealKey.Of(world.Tool.WorldDirectory);
        var counts = new List<string>();
        foreach (var file in world.Files())
        {
            var original = File.ReadAllBytes(file.Path);
            var lastLineStart = Array.LastIndexOf(original, (byte)'\n', original.Length - 2) + 1;
            var auditLog = File.ReadAllBytes(world.In(AuditTrail.LogFile));
            var auditHead = File.ReadAllBytes(world.In(AuditTrail.HeadFile));
            for (var i = 0; i < original.Length; i++)
            {
                var changed = (byte[])original.Clone();
                changed[i] ^= 0x01;
                File.WriteAllBytes(file.Path, changed);
                var what = $"{file.Kind}, byte {i} of {original.Length}";
                AssertRefused(file.Use(), world, what);
                if (file.Kind == "audit head" || file.Kind == "audit log" && i >= lastLineStart)
                {
                    // Nothing is ever appended to a trail whose end does not match its seal. (A change further up
                    // breaks the chain, which 'audit verify' reports, and appending does not hide it.)
                    Assert.Throws<RuntimeError>(() => new AuditTrail(world.Tool.WorldDirectory).CheckAppendable(sealKey));
                }
                // Refusals are recorded: put the trail back too, so each change is tried alone.
                File.WriteAllBytes(world.In(AuditTrail.LogFile), auditLog);
                File.WriteAllBytes(world.In(AuditTrail.HeadFile), auditHead);
            }
            File.WriteAllBytes(file.Path, original);
            counts.Add($"{file.Kind} {original.Length}");
        }
        world.Tool.Audit("verify").Ok();
        var summary = $"tamper: every byte flipped and refused: {string.Join(", ", counts)} bytes";
        output.WriteLine(summary);
    }

    [Fact]
    public void Every_header_field_changed_with_a_forged_checksum_is_refused_by_the_cryptography()
    {
        using var world = new World();
        var forged = 0;
        foreach (var file in world.Files().Where(f => f.HasChecksum))
        {
            var original = File.ReadAllBytes(file.Path);
            var header = File.ReadAllLines(file.Path)[1];
            foreach (var (field, value) in StringAndNumberFields(header))
            {
                ProtectionFixtures.ForgeHeader(file.Path, $"\"{field}\":{value}", $"\"{field}\":{Altered(value)}");
                var result = file.Use();
                AssertRefused(result, world, $"{file.Kind}, field {field} forged");
                if (file.Kind == "card set" && field == "created")
                {
                    // The creation time is bound to the set's check value: the right card no longer opens the set.
                    Assert.Contains("the cards presented do not rebuild the key of operator card set 'set'", result.Stderr);
                }
                File.WriteAllBytes(file.Path, original);
                forged++;
            }
        }
        Assert.True(forged >= 15, $"only {forged} fields were forged");
        world.Tool.Run(["-O", "set", "--card", world.Card, "--passphrase-file", ProtectionFixtures.PassphraseFile(world.Scratch, CardPassphrases[0]),
                        "aws", "k-cardset", world.WrapKey, "RSAES_OAEP_SHA_256"]).Ok();
        var summary = $"tamper: {forged} header fields forged with a recomputed checksum, all refused";
        output.WriteLine(summary);
    }

    [Fact]
    public void A_base64_line_changed_only_in_its_unused_bits_is_refused()
    {
        // Which bytes of a random MAC land in the unused bits of its last base64 character is chance; this makes
        // the case that once slipped through the byte-by-byte sweep happen every time.
        using var world = new World();
        var path = world.In("keys", "k-module.key");
        var lines = File.ReadAllText(path).Split('\n');
        var mac = lines[2];
        Assert.EndsWith("=", mac);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var last = mac.TrimEnd('=').Length - 1;
        var sameBytes = alphabet[alphabet.IndexOf(mac[last]) ^ 1];
        lines[2] = mac[..last] + sameBytes + mac[(last + 1)..];
        Assert.Equal(Convert.FromBase64String(mac), Convert.FromBase64String(lines[2]));
        File.WriteAllText(path, string.Join('\n', lines));
        AssertRefused(world.Tool.Run(["aws", "k-module", world.WrapKey, "RSAES_OAEP_SHA_256"]), world, "non-canonical base64 MAC");
    }

    /// <summary>The top-level fields of a one-line JSON header, each with its value as written (quoted or not).</summary>
    static IEnumerable<(string Field, string Value)> StringAndNumberFields(string header)
    {
        using var document = System.Text.Json.JsonDocument.Parse(header);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            yield return (property.Name, property.Value.GetRawText());
        }
    }

    /// <summary>The value with one character changed, keeping it the same kind of value (a number stays a number).</summary>
    static string Altered(string value)
    {
        var text = new StringBuilder(value);
        var at = value.StartsWith('"') ? 1 : 0;
        if (value.Length <= at + 1 && at == 1) return "\"x\"";
        text[at] = text[at] switch { '0' => '1', '1' => '2', >= '2' and <= '9' => '1', 'a' => 'b', 'A' => 'B', _ => 'a' };
        return text.ToString();
    }
}
