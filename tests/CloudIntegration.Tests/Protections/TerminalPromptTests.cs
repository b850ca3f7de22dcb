using CloudIntegration.Tests.Cases;
using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests.Protections;

/// <summary>
/// Passphrases typed at a real terminal: asked twice when new, never echoed, and a wrong one refused. The transcript is
/// everything a shoulder-surfer or a session recording would see.
/// </summary>
public sealed class TerminalPromptTests
{
    const string Passphrase = "typed-at-the-keyboard-7";

    [Fact]
    public void Passphrases_typed_at_a_terminal_are_never_echoed()
    {
        using var scratch = new Scratch();
        var tool = Tool.In(scratch);
        var environment = new Dictionary<string, string> { ["CLOUD_INTEGRATION_WORLD"] = tool.WorldDirectory };

        using (var terminal = new Terminal($"'{Tool.Executable}' softcard new desk-sc", environment, tool.WorkingDirectory))
        {
            terminal.Expect("new passphrase for softcard 'desk-sc'");
            terminal.TypeLine(Passphrase);
            terminal.Expect("repeat the new passphrase");
            terminal.TypeLine(Passphrase);
            terminal.Expect("created softcard 'desk-sc'");
            Assert.Equal(0, terminal.WaitForExit());
            Assert.DoesNotContain(Passphrase, terminal.Transcript);
        }

        var c = ExportCases.All.First(x => x.Provider == "aws" && x.Algorithm == "RSAES_OAEP_SHA_1");
        var pair = ProviderKeyPair.Get(c.WrappingBits);
        var export = $"'{Tool.Executable}' -S desk-sc {string.Join(' ', c.Arguments("desk-key", pair.WrapKeyFile(c.Form)))}";
        TypeSecret(export, environment, tool.WorkingDirectory, "passphrase for softcard 'desk-sc'", Passphrase, "wrote desk-key-wrapped", 0);
        ProviderOracle.Import(c, tool.WorkingDirectory, "desk-key", pair);

        TypeSecret(export, environment, tool.WorkingDirectory, "passphrase for softcard 'desk-sc'", "not-the-passphrase", "error: wrong passphrase for softcard 'desk-sc'", 1);
    }

    [Fact]
    public void A_token_pin_typed_at_a_terminal_is_never_echoed()
    {
        using var scratch = new Scratch();
        const string Pin = "typed-pin-never-shown";       // distinctive, so no hash in the transcript can contain it by chance
        var hsm = SoftHsm.Create(scratch);
        hsm.InitToken("desk-token", Pin);
        var tool = hsm.Configure(Tool.In(scratch), pin: null);
        var environment = new Dictionary<string, string>(tool.Environment) { ["CLOUD_INTEGRATION_WORLD"] = tool.WorldDirectory };
        var c = ExportCases.All.First(x => x.Provider == "aws" && x.Algorithm == "RSAES_OAEP_SHA_1");
        var pair = ProviderKeyPair.Get(c.WrappingBits);
        var export = $"'{Tool.Executable}' {string.Join(' ', c.Arguments("desk-key", pair.WrapKeyFile(c.Form)))}";

        TypeSecret(export, environment, tool.WorkingDirectory, "PIN", Pin, "wrote desk-key-wrapped", 0);
        ProviderOracle.Import(c, tool.WorkingDirectory, "desk-key", pair);
    }

    /// <summary>Runs <paramref name="command"/> on a terminal, types the secret at its prompt, and checks it was not shown.</summary>
    static void TypeSecret(string command, IReadOnlyDictionary<string, string> environment, string workingDirectory,
                           string prompt, string secret, string expect, int exitCode)
    {
        using var terminal = new Terminal(command, environment, workingDirectory);
        terminal.Expect(prompt);
        terminal.TypeLine(secret);
        terminal.Expect(expect);
        Assert.Equal(exitCode, terminal.WaitForExit());
        Assert.DoesNotContain(secret, terminal.Transcript);
    }
}
