using System.Text.Json;
using CloudIntegration.IO;

namespace CloudIntegration.Providers;

/// <summary>The strict JSON documents providers import, written the one way: compact, UTF-8, '+' not escaped (TextFormats.Json).</summary>
static class ProviderJson
{
    public static byte[] Object(Action<Utf8JsonWriter> writeMembers)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, TextFormats.Json))
        {
            json.WriteStartObject();
            writeMembers(json);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
