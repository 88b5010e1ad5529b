using System.Collections.Concurrent;
using System.Net;

namespace LlmMonitor.IntegrationTests.Infrastructure;

/// <summary>A local OTLP/HTTP endpoint that answers 200 to every export and keeps what it was sent, by path.</summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _exports = new();

    /// <summary>OTLP/HTTP's own port, where an exporter sends when no endpoint is configured.</summary>
    public const int DefaultPort = 4318;

    public OtlpReceiver(int? port = null)
    {
        Address = new Uri($"http://127.0.0.1:{port ?? FreePorts.Next()}/");
        _listener.Prefixes.Add(Address.ToString());
        // The listener checks the Host header: an exporter's default endpoint names localhost.
        _listener.Prefixes.Add($"http://localhost:{Address.Port}/");
        _listener.Start();
        _ = Task.Run(ReceiveAsync);
    }

    public Uri Address { get; }

    public IReadOnlyList<(string Path, byte[] Body)> Exports => [.. _exports];

    /// <summary>Whether an export to <paramref name="path"/> arrived holding <paramref name="text"/> (a service name, say) in its bytes.</summary>
    public bool Received(string path, string text) =>
        _exports.Any(e => e.Path == path && System.Text.Encoding.UTF8.GetString(e.Body).Contains(text, StringComparison.Ordinal));

    private async Task ReceiveAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _exports.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}
