using System.Text.Encodings.Web;
using System.Text.Json;

namespace CloudIntegration.Providers;

/// <summary>The strict JSON documents providers import, written the one way: compact, UTF-8, '+' not escaped.</summary>
static class ProviderJson
{
    static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Object(Action<Utf8JsonWriter> writeMembers)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            writeMembers(json);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
