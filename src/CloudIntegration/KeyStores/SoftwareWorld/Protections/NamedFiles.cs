using CloudIntegration.Errors;
using CloudIntegration.Keys;

namespace CloudIntegration.KeyStores.SoftwareWorld.Protections;

/// <summary>The world's per-name files of one kind (softcards, card sets), listed the same way for both.</summary>
static class NamedFiles
{
    /// <summary>
    /// Loads every <c>NAME{extension}</c> in <paramref name="directory"/> whose name is valid, in name order; a file that
    /// fails to load is reported through <paramref name="damaged"/> and the listing goes on.
    /// </summary>
    public static IReadOnlyList<T> LoadAll<T>(string directory, string extension, Func<string, T?> load, Action<ToolError> damaged)
        where T : class
    {
        var list = new List<T>();
        if (!Directory.Exists(directory)) return list;
        foreach (var path in Directory.EnumerateFiles(directory, "*" + extension).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (!KeyName.IsValid(name)) continue;
            try
            {
                if (load(name) is { } item) list.Add(item);
            }
            catch (ToolError e)
            {
                damaged(e);
            }
        }
        return list;
    }
}
