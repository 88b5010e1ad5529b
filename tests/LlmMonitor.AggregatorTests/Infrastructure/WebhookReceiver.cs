using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LlmMonitor.AggregatorTests.Infrastructure;

/// <summary>A request the receiver got: headers and the exact body bytes.</summary>
public sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
}

/// <summary>
/// A real HTTP server on 127.0.0.1 and a port of its own, standing in for a webhook or Slack: it keeps every request
/// and answers what <see cref="Respond"/> says for the n-th request (1-based), which may also make it wait (the token
/// says when the sender gave up on the request).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ReceivedRequest> _requests = [];
    private readonly Lock _lock = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public Func<int, CancellationToken, Task<int>> Respond { get; set; } = (_, _) => Task.FromResult(200);

    public string BaseUrl => _app.Urls.First();

    public string Url(string path) => BaseUrl + path;

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", (Delegate)receiver.HandleAsync);
        await app.StartAsync();
        return receiver;
    }

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        int number;
        lock (_lock)
        {
            _requests.Add(new ReceivedRequest(http.Request.Path, headers, body.ToArray()));
            number = _requests.Count;
        }

        return Results.StatusCode(await Respond(number, http.RequestAborted));
    }

    /// <summary>The barrier: waits until <paramref name="count"/> requests have arrived (fails after 60 s).</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(int count, string? path = null) =>
        await Eventually.GetAsync(() =>
        {
            var matching = Requests.Where(r => path is null || r.Path == path).ToList();
            return Task.FromResult(matching.Count >= count ? matching : null);
        }, TimeSpan.FromSeconds(60), $"{count} requests{(path is null ? "" : " to " + path)}");

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public static class ReceivedText
{
    public static string Text(this ReceivedRequest request) => Encoding.UTF8.GetString(request.Body);
}
