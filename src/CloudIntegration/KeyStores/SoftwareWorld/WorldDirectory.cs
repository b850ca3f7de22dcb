using CloudIntegration.Errors;
using CloudIntegration.IO;

namespace CloudIntegration.KeyStores.SoftwareWorld;

/// <summary>
/// Where the embedded Security World lives: <c>$CLOUD_INTEGRATION_WORLD</c>, or a per-user data directory
/// (~/.local/share on Unix, %LOCALAPPDATA% on Windows). Directories are 0700 and files 0600; on Windows both have an
/// ACL with the current user as the only entry.
/// </summary>
public sealed class WorldDirectory
{
    public const string EnvironmentVariable = "CLOUD_INTEGRATION_WORLD";

    WorldDirectory(string root) => Root = root;

    public string Root { get; }
    public string WorldKeyPath => Path.Combine(Root, "world.key");
    public string KeysDirectory => Path.Combine(Root, "keys");

    /// <summary>
    /// Where new key files are written before they get their name in <see cref="KeysDirectory"/>: the world's own small
    /// directory (same file system), so opening the world sweeps a killed run's leftovers without listing every key.
    /// </summary>
    public string StagingDirectory => Root;

    public string KeyPath(Keys.KeyName name) => Path.Combine(KeysDirectory, name.Value + KeyExtension);
    public const string KeyExtension = ".key";

    public static string DefaultRoot()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(configured)) return Path.GetFullPath(configured);
        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(data))
        {
            throw RuntimeErrors.Runtime($"no per-user data directory is known (HOME is unset); set {EnvironmentVariable} to the world directory");
        }
        return Path.Combine(data, "cloud_integration_tool", "world");
    }

    /// <summary>Opens the world directory, creating it (and saying so on stderr) on first use.</summary>
    public static WorldDirectory OpenOrCreate(string root, Diagnostics diagnostics)
    {
        var world = new WorldDirectory(root);
        try
        {
            // Of several first runs at once, only the one whose mkdir succeeded says it created the world.
            if (AtomicFile.TryCreatePrivateDirectory(root))
            {
                diagnostics.Note($"created a new embedded Security World in {root}");
            }
            AtomicFile.CreatePrivateDirectory(world.KeysDirectory);
            AtomicFile.RemoveAbandoned(world.StagingDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RuntimeErrors.StorageFailed(root, ErrorText.Describe(e), e);
        }
        world.WarnIfExposed(diagnostics);
        return world;
    }

    /// <summary>Opens an existing world without creating anything; null when there is none yet.</summary>
    public static WorldDirectory? OpenExisting(string root) =>
        Directory.Exists(root) ? new WorldDirectory(root) : null;

    void WarnIfExposed(Diagnostics diagnostics)
    {
        if (OperatingSystem.IsWindows())
        {
            if (WindowsAcl.Exposure(Root) is { } exposure)
            {
                diagnostics.Warn($"the world directory {Root} is accessible to other users ({exposure}); run: {WindowsAcl.FixCommand(Root)}");
            }
            return;
        }
        var mode = File.GetUnixFileMode(Root);
        if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                     UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) != 0)
        {
            diagnostics.Warn($"the world directory {Root} is accessible to other users; run: chmod 700 '{Root}'");
        }
    }
}
