using CloudIntegration.Tests.Support;
using Xunit;

namespace CloudIntegration.Tests;

/// <summary>
/// install.sh puts both commands on a PATH and --uninstall takes them away, leaving the world alone. The installation
/// is the per-user one the script documents (PREFIX=$HOME/.local) under a throwaway HOME, and the world is the one the
/// installed tool makes at its default path ($HOME/.local/share/cloud_integration_tool/world), right beside what
/// --uninstall removes.
/// </summary>
public sealed class InstallTests
{
    [Fact]
    public void Install_then_uninstall_leaves_the_world_at_its_default_path_as_it_was()
    {
        using var scratch = new Scratch();
        var home = scratch.Dir("home");
        var prefix = Path.Combine(home, ".local");
        var root = CommandLineTests.RepositoryRoot();
        // The build runs with the real HOME (its NuGet cache); the installed tool and --uninstall with the throwaway one.
        var install = Processes.Run(Path.Combine(root, "install.sh"), [], new Dictionary<string, string> { ["PREFIX"] = prefix });
        Assert.True(install.ExitCode == 0, install.ToString());
        var user = new Dictionary<string, string> { ["PREFIX"] = prefix, ["HOME"] = home, ["XDG_DATA_HOME"] = "", ["CLOUD_INTEGRATION_WORLD"] = "" };
        foreach (var name in new[] { "cloud_integration_tool", "cssadmin" })
        {
            var version = Processes.Run(Path.Combine(prefix, "bin", name), ["--version"], user);
            Assert.True(version.ExitCode == 0, version.ToString());
            Assert.StartsWith(name + " ", version.Stdout);
        }
        var help = Processes.Run(Path.Combine(prefix, "bin", "cssadmin"), ["-h"], user);
        Assert.StartsWith("usage: cssadmin ", help.Stdout);

        var export = Processes.Run(Path.Combine(prefix, "bin", "cloud_integration_tool"),
                                   ["aws", "k1", ProviderKeyPair.Get(2048).PublicDer, "RSAES_OAEP_SHA_256", "--output-dir", scratch.Dir("out")], user);
        Assert.True(export.ExitCode == 0, export.ToString());
        var world = Path.Combine(home, ".local", "share", "cloud_integration_tool", "world");
        var before = Snapshot(world);
        Assert.Contains("world.key", before.Keys);
        Assert.Contains(Path.Combine("keys", "k1.key"), before.Keys);

        var uninstall = Processes.Run(Path.Combine(root, "install.sh"), ["--uninstall"], user);
        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.False(File.Exists(Path.Combine(prefix, "bin", "cloud_integration_tool")));
        Assert.False(File.Exists(Path.Combine(prefix, "bin", "cssadmin")));
        Assert.False(Directory.Exists(Path.Combine(prefix, "lib", "cloud_integration_tool")));
        var after = Snapshot(world);
        Assert.Equal(before.Keys, after.Keys);
        Assert.All(before, file => Assert.Equal(file.Value, after[file.Key]));
    }

    static SortedDictionary<string, byte[]> Snapshot(string directory) =>
        new(Directory.GetFiles(directory, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(directory, f), File.ReadAllBytes),
            StringComparer.Ordinal);
}
