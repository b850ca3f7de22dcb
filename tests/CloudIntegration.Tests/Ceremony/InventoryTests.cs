using System.Text.RegularExpressions;
using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests.Ceremony;

/// <summary>
/// 'keys list', 'keys show' and 'keys destroy' on every key store under test, for keys of every type: what they print
/// must match what openssl finds inside the exported key (the public key of the PKCS#8, the check value of the AES key).
/// </summary>
public sealed partial class InventoryTests
{
    public static TheoryData<KeyStoreUnderTest> Stores() => [.. KeyStoreUnderTest.All];

    /// <summary>For each key type, the first case of the table the store can export, each run with a key of its own.</summary>
    static IEnumerable<ExportCase> OnePerKeyType(KeyStoreUnderTest store) =>
        ExportCases.All.Where(c => store.ExpectedError(c) is null).GroupBy(c => c.KeyType).Select(g => g.First());

    [Theory]
    [MemberData(nameof(Stores))]
    public void List_and_show_give_every_keys_public_key_or_check_value_as_openssl_finds_it(KeyStoreUnderTest store)
    {
        using var scratch = new Scratch();
        var tool = store.Prepare(scratch);
        var made = new Dictionary<string, (ExportCase Case, byte[] Plaintext)>();
        foreach (var c in OnePerKeyType(store))
        {
            var name = "inv-" + c.KeyType.ToLowerInvariant();
            var pair = ProviderKeyPair.Get(c.WrappingBits);
            tool.Run(c.Arguments(name, pair.WrapKeyFile(c.Form))).Ok();
            made[name] = (c, ProviderOracle.Import(c, tool.WorkingDirectory, name, pair));
        }
        // SoftHSM 2.6.1 exports AES and HMAC-SHA256/384/512 keys only (its PAD is RFC 5649 only for multiples of 8 bytes).
        Assert.True(made.Count >= 1, "the store made no key to test");

        var list = tool.Keys("list", "--json").Ok().Json();
        var listed = list.GetProperty("keys").EnumerateArray().ToDictionary(k => k.GetProperty("name").GetString()!);
        Assert.Equal(made.Keys.Order(), listed.Keys.Order());

        var table = tool.Keys("list").Ok().Stdout;
        Assert.All(table.Split('\n'), line => Assert.True(line.Length <= 100, $"wider than 100 columns: {line}"));
        Assert.StartsWith("NAME ", table);

        foreach (var (name, (c, plaintext)) in made)
        {
            var row = listed[name];
            Assert.Equal(c.KeyType, row.GetProperty("type").GetString());
            Assert.Equal(1, row.GetProperty("exports").GetInt32());
            Assert.Equal(c.Provider, row.GetProperty("lastExport").GetProperty("provider").GetString());
            var tableLine = table.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));

            var text = tool.Keys("show", name).Ok().Stdout;
            var json = tool.Keys("show", name, "--json").Ok().Json();
            Assert.Contains("exports:    1, the last on ", text);
            if (!c.KeyType.StartsWith("RSA-", StringComparison.Ordinal) && !c.KeyType.StartsWith("EC-", StringComparison.Ordinal) &&
                !store.KnowsCheckValue(c.KeyType))
            {
                Assert.Contains("no public fingerprint or check value is known", text);
                Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("checkValue").ValueKind);
            }
            else if (c.KeyType.StartsWith("AES-", StringComparison.Ordinal) || c.KeyType.StartsWith("HMAC-", StringComparison.Ordinal))
            {
                var kcv = Convert.ToHexStringLower(c.KeyType.StartsWith("AES-", StringComparison.Ordinal)
                    ? OpenSsl.AesCheckValue(plaintext)
                    : OpenSsl.HmacCheckValue(c.KeyType, plaintext));
                Assert.Contains($"key check value: {kcv} ", text);
                Assert.Equal(kcv, json.GetProperty("checkValue").GetString());
                Assert.Contains("kcv " + kcv, tableLine);
                Assert.DoesNotContain("BEGIN PUBLIC KEY", text);
            }
            else
            {
                var spki = OpenSsl.PublicKeyOf(plaintext);
                var fingerprint = CeremonyTool.Sha256Hex(spki);
                Assert.Equal(spki, PemBody(text));
                Assert.Equal(spki, PemBody(json.GetProperty("publicKeyPem").GetString()!));
                Assert.Contains($"public key SHA-256 fingerprint: {fingerprint} ", text);
                Assert.Equal(fingerprint, json.GetProperty("fingerprint").GetString());
                Assert.Equal(fingerprint, row.GetProperty("fingerprint").GetString());
                Assert.Contains(fingerprint[..12], tableLine);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Destroy_asks_for_the_name_or_takes_yes_and_a_destroyed_key_is_never_exported_again(KeyStoreUnderTest store)
    {
        using var scratch = new Scratch();
        var tool = store.Prepare(scratch);
        var c = ExportCases.All.First(x => x.Provider == "aws" && store.ExpectedError(x) is null);
        var pair = ProviderKeyPair.Get(c.WrappingBits);
        tool.Run(c.Arguments("doomed", pair.WrapKeyFile(c.Form))).Ok();
        var first = ProviderOracle.Import(c, tool.WorkingDirectory, "doomed", pair);
        var storeInput = tool.Stdin;

        // A wrong name, and no input at all, leave the key where it is.
        foreach (var typed in new[] { "doome\n", "" })
        {
            tool.Stdin = typed;
            var refused = tool.Keys("destroy", "doomed");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("error: key 'doomed' was not destroyed: the confirmation did not match its name", refused.Stderr);
            Assert.Contains("type the key name to confirm", refused.Stderr);
            Assert.Equal(1, tool.Keys("show", "doomed", "--json").Ok().Json().GetProperty("exports").GetInt32());
        }

        tool.Stdin = "doomed\n";
        var destroyed = tool.Keys("destroy", "doomed").Ok();
        Assert.StartsWith("destroyed key 'doomed' (AES-256", destroyed.Stdout);
        Assert.Empty(tool.Keys("list", "--json").Ok().Json().GetProperty("keys").EnumerateArray());
        var missing = tool.Keys("show", "doomed");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("error: no key 'doomed' in the ", missing.Stderr);

        // The same name again is a new key: different material, and its export count starts from zero.
        tool.Stdin = storeInput;
        foreach (var f in Directory.GetFiles(tool.WorkingDirectory)) File.Delete(f);
        Assert.StartsWith("generated key 'doomed'", tool.Run(c.Arguments("doomed", pair.WrapKeyFile(c.Form))).Ok().Stdout);
        Assert.NotEqual(first, ProviderOracle.Import(c, tool.WorkingDirectory, "doomed", pair));
        Assert.Equal(1, tool.Keys("show", "doomed", "--json").Ok().Json().GetProperty("exports").GetInt32());

        tool.Stdin = "";
        Assert.Contains("\"auditEntry\"", tool.Keys("destroy", "doomed", "--yes", "--json").Ok().Stdout);
        Assert.Equal(1, tool.Keys("destroy", "doomed", "--yes").ExitCode);

        var events = tool.AuditEntries().Select(e => $"{e.GetProperty("event").GetString()} {e.GetProperty("outcome").GetString()}").ToList();
        Assert.Equal(["generate ok", "export ok", "destroy refused", "destroy refused", "destroy ok", "generate ok", "export ok",
                      "destroy ok", "destroy refused"], events);
        Assert.Equal(0, tool.Audit("verify").ExitCode);
    }

    [Fact]
    public void Keys_commands_refuse_wrong_usage_with_exit_2()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        foreach (var (args, expected) in new (string[], string)[]
                 {
                     ([], "'keys' needs a subcommand: one of list, show, destroy"),
                     (["lst"], "unknown 'keys' subcommand 'lst'"),
                     (["show"], "wrong arguments (usage: "),
                     (["list", "extra"], "wrong arguments"),
                     (["show", "../x"], "invalid keyName '../x'"),
                     (["list", "-k", "AES-256"], "unknown option '-k'"),
                 })
        {
            var result = tool.Run(["keys", .. args]);
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("error: " + expected, result.Stderr);
        }
        Assert.Contains("usage: cloud_integration_tool keys list", tool.Run("keys", "-h").Ok().Stdout);
        Assert.Contains("keys", tool.Run("-h").Ok().Stdout);
    }

    static byte[] PemBody(string text)
    {
        var match = PublicKeyPem().Match(text);
        Assert.True(match.Success, "no PUBLIC KEY block in: " + text);
        return Convert.FromBase64String(string.Concat(match.Groups[1].Value.Where(ch => !char.IsWhiteSpace(ch))));
    }

    [GeneratedRegex("-----BEGIN PUBLIC KEY-----(.*?)-----END PUBLIC KEY-----", RegexOptions.Singleline)]
    private static partial Regex PublicKeyPem();
}
