using System.Text;
using CloudIntegration.Keys;
using CloudIntegration.Providers;
using CloudIntegration.Wrapping;

namespace CloudIntegration.Cli;

/// <summary>The usage line and the -h text. Written for the person running a key ceremony, not for a programmer.</summary>
public static class HelpText
{
    public static string Usage(string program) =>
        $"{program} [-h] [--version] [-m MODULE] [-O CARDSET | -S SOFTCARD | -M] [-a AZUREKEK] [-k KEYTYPE] provider keyName wrapKey [wrapAlg]";

    public static string Full(string program, ProviderRegistry providers, IEnumerable<(string Verb, string Summary)> verbs)
    {
        var text = new StringBuilder();
        text.AppendLine("usage: " + Usage(program));
        text.AppendLine();
        text.AppendLine("Generates a key inside the key store (or reuses an existing one), wraps it with a cloud provider's");
        text.AppendLine("public wrapping key, and writes exactly the files that provider imports. The plaintext key never");
        text.AppendLine("leaves the key store and is never written to disk. A new key is module protected unless -S or -O");
        text.AppendLine("says otherwise. Output files are written to the current directory, or to --output-dir.");
        text.AppendLine();
        text.AppendLine("positional arguments:");
        Item(text, "provider", "where the key is going: " + string.Join(", ", providers.All.Select(p => p.Name)));
        Item(text, "keyName", "the key to export; generated if it does not exist yet. 1 to 64 characters of A-Z a-z 0-9 . _ -, " +
                              "not starting with '.' or '-'. An existing key must have been created by this tool.");
        Item(text, "wrapKey", "the provider's RSA public wrapping key (2048 bits or more): DER or PEM public key, PEM RSA PUBLIC " +
                              "KEY, a PEM or DER X.509 certificate, or the base64 text AWS's API returns");
        Item(text, "wrapAlg", "the wrapping algorithm, required for aws, google-compute-engine, salesforce" +
                              (providers.Parse("google-cloud-key-management").TakesWrapAlgorithm ? " and google-cloud-key-management" : "") +
                              "; see the table below");
        text.AppendLine();
        text.AppendLine("options:");
        foreach (var option in CommandOptions.Export)
        {
            var name = (option.Short is null ? "" : option.Short + (option.ValueName is null ? "" : " " + option.ValueName) + ", ") +
                       "--" + option.Long + (option.ValueName is null ? "" : " " + option.ValueName);
            Item(text, name, option.Help);
        }
        text.AppendLine();
        text.AppendLine("  -a AZUREKEK must be the full key identifier, version included:");
        text.AppendLine("      https://<vault-name>.vault.azure.net/keys/<key-name>/<key-version>");
        text.AppendLine("      https://<hsm-name>.managedhsm.azure.net/keys/<key-name>/<key-version>");
        text.AppendLine();
        text.AppendLine("providers, key types (-k; the first is the default) and wrapping algorithms:");
        foreach (var p in providers.All)
        {
            text.AppendLine($"  {p.Name}: {p.Summary}");
            text.AppendLine($"      key types:  {string.Join(", ", p.KeyTypes.Select(t => t.Name))}");
            text.AppendLine(p.TakesWrapAlgorithm
                ? $"      wrapAlg:    {string.Join(", ", p.WrapAlgorithms.Select(a => a.Name))}"
                : $"      wrapAlg:    none (always {p.ImplicitAlgorithm!.Padding.Description} + AES key wrap)");
            text.AppendLine($"      writes:     {string.Join(", ", p.Files.Select(f => f.HelpName))}");
        }
        text.AppendLine();
        text.AppendLine("  RSAES_OAEP_SHA_256 and RSAES_OAEP_SHA_1 are RSA-OAEP with that hash for both OAEP and MGF1 and an empty");
        text.AppendLine("  label. RSAES_PKCS1_V1_5 is accepted where the guide lists it, but AWS has refused it since October 2023.");
        text.AppendLine("  For google-cloud-key-management, pick the hash of the import job's method (..._SHA256_AES_256 or");
        text.AppendLine("  ..._SHA1_AES_256); the key is wrapped with an ephemeral AES-256 key (RFC 5649), as is microsoft-azure's.");
        text.AppendLine();
        text.AppendLine("  Key types: AES-256; RSA-2048, RSA-3072, RSA-4096; EC-NISTP256, EC-NISTP384, EC-NISTP521 (NIST curves);");
        text.AppendLine("  EC-SECP256K1. The summary shows both keys' security strengths; a warning says when the wrapping");
        text.AppendLine("  key gives less than 128 bits and less than the key it carries. google-compute-engine takes only an");
        text.AppendLine("  RSA-2048 wrapping key.");
        var verbList = verbs.ToList();
        if (verbList.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("other commands (run '" + program + " COMMAND -h' for details):");
            foreach (var (verb, summary) in verbList) Item(text, verb, summary);
        }
        text.AppendLine();
        text.AppendLine("environment:");
        Item(text, "CLOUD_INTEGRATION_WORLD", "the embedded Security World directory (default: " +
             (OperatingSystem.IsWindows() ? @"%LOCALAPPDATA%\cloud_integration_tool\world)" : "~/.local/share/cloud_integration_tool/world)"));
        Item(text, "CLOUD_INTEGRATION_PKCS11_LIBRARY", "a PKCS#11 library to use instead of the embedded world (like --pkcs11-library)");
        text.AppendLine();
        text.AppendLine("exit status: 0 success, 2 the command line is wrong, 1 any other failure (nothing is left behind).");
        return text.ToString();
    }

    static void Item(StringBuilder text, string name, string help)
    {
        const int column = 28;
        var lines = Wrap(help, 100 - column);
        text.Append("  ").Append(name.PadRight(column - 2));
        if (name.Length >= column - 3) text.AppendLine().Append(new string(' ', column));
        text.AppendLine(lines[0]);
        foreach (var line in lines.Skip(1)) text.Append(new string(' ', column)).AppendLine(line);
    }

    static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        lines.Add(line.ToString());
        return lines;
    }
}
