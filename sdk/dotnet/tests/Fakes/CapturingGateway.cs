using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace LlmMonitor.Client.Tests.Fakes;

/// <summary>Stands in for the gateway's /api/events/batch: keeps every event it accepts, and answers as told.</summary>
public sealed class CapturingGateway : HttpMessageHandler
{
    private readonly ConcurrentQueue<JsonObject> _events = new();
    private int _requests;

    /// <summary>Decides the answer to each request (default: 202); may throw to play a network failure.</summary>
    public Func<int, HttpResponseMessage?> Answer { get; set; } = _ => null;

    /// <summary>Holds every request until set (an unresponsive gateway).</summary>
    public TaskCompletionSource? Hold { get; set; }

    public IReadOnlyList<JsonObject> Events => _events.ToList();
    public int Requests => Volatile.Read(ref _requests);
    public ConcurrentQueue<int> BatchSizes { get; } = new();

    /// <summary>The size of every batch sent, whatever the answer.</summary>
    public ConcurrentQueue<int> OfferedSizes { get; } = new();
    public ConcurrentQueue<string?> Authorizations { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _requests);
        if (Hold is { } hold)
        {
            await hold.Task.WaitAsync(cancellationToken);
        }

        Assert.Equal("/api/events/batch", request.RequestUri!.AbsolutePath);
        Authorizations.Enqueue(request.Headers.Authorization?.ToString());
        var batch = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsArray();
        OfferedSizes.Enqueue(batch.Count);
        if (Answer(n) is { } answer)
        {
            return answer;
        }

        BatchSizes.Enqueue(batch.Count);
        foreach (var e in batch)
        {
            _events.Enqueue(e!.AsObject());
        }

        var ids = string.Join(",", batch.Select(e => $"\"{e!["event_id"]}\""));
        return new HttpResponseMessage(HttpStatusCode.Accepted)
        {
            Content = new StringContent($"{{\"accepted\":[{ids}],\"rejected\":[]}}", Encoding.UTF8, "application/json"),
        };
    }

    public static HttpResponseMessage Status(HttpStatusCode code, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage(code) { Content = new StringContent("{\"title\":\"unavailable\"}", Encoding.UTF8, "application/problem+json") };
        if (retryAfter is { } after)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(after);
        }

        return response;
    }

    public LlmMonitorClient Client(Action<LlmMonitorOptions>? configure = null)
    {
        var options = new LlmMonitorOptions
        {
            GatewayUrl = new Uri("http://gateway.test"),
            GatewayHandler = this,
            FlushInterval = TimeSpan.FromMilliseconds(50),
            InitialRetryDelay = TimeSpan.FromMilliseconds(20),
            MaxRetryDelay = TimeSpan.FromMilliseconds(200),
            ShutdownTimeout = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);
        return new LlmMonitorClient(options);
    }
}
