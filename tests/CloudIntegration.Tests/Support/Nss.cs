using System.Diagnostics;
using Xunit.Sdk;

namespace CloudIntegration.Tests.Support;

/// <summary>
/// A throwaway NSS softoken for one test: a database made with certutil in the test's scratch directory, and
/// libsoftokn3.so loaded directly by the tool with that directory in its initialisation string
/// (CK_C_INITIALIZE_ARGS.pReserved, through CLOUD_INTEGRATION_PKCS11_INIT_ARGS). Nothing machine-wide is configured.
/// NSS presents two tokens: "NSS Generic Crypto Services" (read-only, no login) and the key database, labelled here.
/// Both report serial 0000000000000000. Every run is a child process, as with SoftHSM: C_Initialize once per process.
/// </summary>
public sealed class Nss
{
    public const string Pin = "nss-test-pin-1234";
    const string Install = "apt-get install -y libnss3 libnss3-tools";

    Nss(string directory, string label)
    {
        Directory_ = directory;
        Label = label;
    }

    public string Directory_ { get; }
    public string Label { get; }

    public static string Library =>
        SharedLibraries.Find("libsoftokn3.so") ?? throw new XunitException($"libsoftokn3.so is missing: the NSS tests need it; run: {Install}");

    /// <summary>The initialisation string NSS's softoken reads (paths and flags only; the PIN is never in it).</summary>
    public string InitArgs =>
        $"configdir='sql:{Directory_}' certPrefix='' keyPrefix='' secmod='secmod.db' flags= dbTokenDescription='{Label}'";

    public static Nss Create(Scratch scratch, string label)
    {
        if (!File.Exists("/usr/bin/certutil")) throw new XunitException($"/usr/bin/certutil is missing: the NSS tests need it; run: {Install}");
        var nss = new Nss(scratch.Dir("nssdb"), label);
        var result = nss.Certutil("-N");
        if (result.ExitCode != 0) throw new XunitException($"certutil -N failed: {result}");
        return nss;
    }

    /// <summary>certutil on this database, with the PIN from a file that exists only while it runs.</summary>
    public SoftHsm.Result Certutil(params string[] args) => NssTool("certutil", args);

    /// <summary>symkeyutil on this database (-L lists the secret keys by label), the PIN as for certutil.</summary>
    public SoftHsm.Result Symkeyutil(params string[] args) => NssTool("symkeyutil", args);

    SoftHsm.Result NssTool(string program, string[] args)
    {
        var pinFile = Path.Combine(Directory_, $"{program}-{Guid.NewGuid():N}.pin");
        File.WriteAllText(pinFile, Pin + "\n");
        try
        {
            var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in (string[])[.. args, "-d", $"sql:{Directory_}", "-f", pinFile]) info.ArgumentList.Add(a);
            info.Environment["NSS_SDB_USE_CACHE"] = "no";
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return new SoftHsm.Result(process.ExitCode, stdout, stderr.Result);
        }
        finally
        {
            File.Delete(pinFile);
        }
    }

    /// <summary>Points the tool at this database: library and initialisation string by environment, every run a child process.</summary>
    public Tool Configure(Tool tool)
    {
        tool.ChildProcess = true;
        tool.Environment["CLOUD_INTEGRATION_PKCS11_LIBRARY"] = Library;
        tool.Environment["CLOUD_INTEGRATION_PKCS11_INIT_ARGS"] = InitArgs;
        tool.Environment["NSS_SDB_USE_CACHE"] = "no";      // skip NSS's timing of the directory (about a second per run)
        tool.Environment["XDG_RUNTIME_DIR"] = Directory_;   // the tool's host locks go with the scratch directory
        return tool;
    }
}
