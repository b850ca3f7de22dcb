namespace CloudIntegration.Tests.Support;

/// <summary>
/// Finds a system shared library by file name on any Linux architecture (Debian's multiarch directories such as
/// /usr/lib/aarch64-linux-gnu, and the plain and lib64 layouts), instead of a path that holds on x86-64 only.
/// </summary>
public static class SharedLibraries
{
    static readonly string[] Roots = ["/usr/lib", "/lib", "/usr/lib64", "/lib64"];

    public static string? Find(string fileName)
    {
        foreach (var root in Roots.Where(Directory.Exists))
        {
            var direct = Path.Combine(root, fileName);
            if (File.Exists(direct)) return direct;
            foreach (var sub in Directory.EnumerateDirectories(root, "*-linux-*").Order(StringComparer.Ordinal))
            {
                var candidate = Path.Combine(sub, fileName);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}
