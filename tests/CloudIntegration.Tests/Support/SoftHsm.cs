using System.Diagnostics;
using System.Runtime.InteropServices;
using Xunit.Sdk;

namespace CloudIntegration.Tests.Support;

/// <summary>
/// A throwaway SoftHSM2 installation for one test: its own softhsm2.conf and token directory inside the test's scratch
/// directory, tokens made with softhsm2-util. Nothing touches /etc/softhsm or /var/lib/softhsm.
///
/// SoftHSM reads SOFTHSM2_CONF with the C library's getenv when C_Initialize runs, once per process, and
/// Environment.SetEnvironmentVariable does not reach getenv. So everything that loads SoftHSM for a test runs as a
/// child process with SOFTHSM2_CONF in that child's environment: softhsm2-util, pkcs11-tool, and the tool itself
/// (<see cref="Tool.RunProcess"/>). That also gives each test its own C_Initialize, which one shared test process
/// could not. As a safety net, this process's own native SOFTHSM2_CONF points nowhere, so an accidental in-process
/// load fails instead of reaching the system's tokens.
/// </summary>
public sealed class SoftHsm
{
    public const string Library = "/usr/lib/softhsm/libsofthsm2.so";
    public const string UserPin = "1234";
    public const string SoPin = "12345678";
    const string Install = "apt-get install -y softhsm2 opensc";

    static SoftHsm()
    {
        _ = setenv("SOFTHSM2_CONF", "/nonexistent/in-process-runs-must-not-load-softhsm.conf", 1);
    }

    [DllImport("libc", SetLastError = true)]
    static extern int setenv(string name, string value, int overwrite);

    SoftHsm(string root)
    {
        Root = root;
        TokenDirectory = Path.Combine(root, "tokens");
        ConfigPath = Path.Combine(root, "softhsm2.conf");
    }

    public string Root { get; }
    public string TokenDirectory { get; }
    public string ConfigPath { get; }

    /// <summary>A fresh SoftHSM with one initialized token per label (user PIN <see cref="UserPin"/>).</summary>
    public static SoftHsm Create(Scratch scratch, params string[] labels)
    {
        RequireInstalled();
        var hsm = new SoftHsm(scratch.Dir("softhsm"));
        Directory.CreateDirectory(hsm.TokenDirectory);
        File.WriteAllText(hsm.ConfigPath,
            $"directories.tokendir = {hsm.TokenDirectory}\n" +
            "objectstore.backend = file\nlog.level = ERROR\nslots.removable = false\nslots.mechanisms = ALL\n" +
            "library.reset_on_fork = false\n");
        foreach (var label in labels) hsm.InitToken(label);
        return hsm;
    }

    /// <summary>Missing SoftHSM is a broken test machine, not a reason to skip: CI installs it.</summary>
    public static void RequireInstalled()
    {
        foreach (var path in new[] { Library, "/usr/bin/softhsm2-util", "/usr/bin/pkcs11-tool" })
        {
            if (!File.Exists(path)) throw new XunitException($"{path} is missing: the PKCS#11 tests need SoftHSM2 and OpenSC; run: {Install}");
        }
    }

    public void InitToken(string label, string pin = UserPin) =>
        Ok("softhsm2-util", ["--init-token", "--free", "--label", label, "--so-pin", SoPin, "--pin", pin]);

    /// <summary>
    /// Points the tool at this SoftHSM: library by environment variable, config in the child's environment, every run
    /// a child process. The PIN goes on standard input unless null.
    /// </summary>
    public Tool Configure(Tool tool, string? pin = UserPin)
    {
        tool.ChildProcess = true;
        tool.Environment["SOFTHSM2_CONF"] = ConfigPath;
        tool.Environment["CLOUD_INTEGRATION_PKCS11_LIBRARY"] = Library;
        tool.Environment["XDG_RUNTIME_DIR"] = Root;      // the tool's host locks go with the scratch directory

        if (pin is not null) tool.Stdin = pin + "\n";
        return tool;
    }

    /// <summary>pkcs11-tool against one token of this SoftHSM, logged in.</summary>
    public Result Pkcs11Tool(string token, params string[] args) =>
        Run("pkcs11-tool", ["--module", Library, "--token-label", token, "--login", "--pin", UserPin, .. args]);

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    public Result Ok(string program, string[] args)
    {
        var result = Run(program, args);
        if (result.ExitCode != 0) throw new XunitException($"{program} {string.Join(' ', args)} failed: {result}");
        return result;
    }

    public Result Run(string program, string[] args)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["SOFTHSM2_CONF"] = ConfigPath;
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
