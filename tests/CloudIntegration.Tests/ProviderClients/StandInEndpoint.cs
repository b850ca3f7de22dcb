using System.Net;
using System.Text;

namespace CloudIntegration.Tests.ProviderClients;

/// <summary>
/// A stand-in for a provider's API on 127.0.0.1: it answers every request with the JSON its route gives and records
/// what the provider's own command-line client sent, so a test can check that the client accepted our file and sent
/// exactly its bytes. It never forwards anything anywhere.
/// </summary>
public sealed class StandInEndpoint : IDisposable
{
    readonly HttpListener _listener = new();
    readonly Func<string, string, string> _answer;
    readonly List<(string Method, string Path, string Body)> _requests = [];
    readonly Task _serving;

    /// <param name="answer">The JSON body for a request, from its method and path.</param>
    public StandInEndpoint(Func<string, string, string> answer)
    {
        _answer = answer;
        Port = StartOnFreePort();
        _serving = Task.Run(Serve);
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}/";

    public IReadOnlyList<(string Method, string Path, string Body)> Requests
    {
        get { lock (_requests) return [.. _requests]; }
    }

    int StartOnFreePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            // Below Linux's ephemeral range (32768-60999), where the clients' own connections would take ports.
            var port = Random.Shared.Next(20000, 32768);
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                _listener.Start();
                return port;
            }
            catch (HttpListenerException) when (attempt < 20) { }
        }
    }

    async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var method = context.Request.HttpMethod;
            var path = context.Request.Url!.PathAndQuery;
            lock (_requests) _requests.Add((method, path, body));
            var answer = Encoding.UTF8.GetBytes(_answer(method, path));
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = answer.Length;
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        // Close alone: on Linux, Stop and then Close each unregister the prefixes, and the second time the managed
        // HttpListener binds the port again to unregister it, which fails when anyone has taken the port since.
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
