using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>install.sh puts both commands on a PATH and --uninstall takes them away, leaving any world alone.</summary>
public sealed class InstallTests
{
    [Fact]
    public void Install_then_uninstall()
    {
        using var scratch = new Scratch();
        var prefix = scratch.Dir("prefix");
        var root = CommandLineTests.RepositoryRoot();

        var install = Run(Path.Combine(root, "install.sh"), [], prefix);
        Assert.True(install.ExitCode == 0, install.ToString());
        foreach (var name in new[] { "cloud_integration_tool", "cssadmin" })
        {
            var version = Run(Path.Combine(prefix, "bin", name), ["--version"], prefix);
            Assert.True(version.ExitCode == 0, version.ToString());
            Assert.StartsWith(name + " ", version.Stdout);
        }
        var help = Run(Path.Combine(prefix, "bin", "cssadmin"), ["-h"], prefix);
        Assert.StartsWith("usage: cssadmin ", help.Stdout);

        var world = scratch.Dir("world-that-must-survive");
        var uninstall = Run(Path.Combine(root, "install.sh"), ["--uninstall"], prefix);
        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.False(File.Exists(Path.Combine(prefix, "bin", "cloud_integration_tool")));
        Assert.False(File.Exists(Path.Combine(prefix, "bin", "cssadmin")));
        Assert.False(Directory.Exists(Path.Combine(prefix, "lib", "cloud_integration_tool")));
        Assert.True(Directory.Exists(world));
    }

    static ToolResult Run(string file, string[] args, string prefix) =>
        Processes.Run(file, args, new Dictionary<string, string> { ["PREFIX"] = prefix });
}
