using System.Text.Json.Nodes;

namespace LlmMonitor.WebUi.Tests.Infrastructure;

/// <summary>A client of /api/live that keeps every event it receives, with the time it arrived.</summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<SseEvent> _events = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reading = Task.CompletedTask;

    private SseClient(Uri baseAddress) => _http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };

    public bool Ended { get; private set; }

    /// <summary>Connects and returns once the stream is open (its response headers and first line have arrived).</summary>
    public static async Task<SseClient> ConnectAsync(Uri baseAddress, Func<string>? diagnostics = null, string query = "")
    {
        var client = new SseClient(baseAddress) { Diagnostics = diagnostics };
        var response = await client._http.GetAsync("api/live" + query, HttpCompletionOption.ResponseHeadersRead, client._stop.Token);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(client._stop.Token));
        Assert.StartsWith("retry:", await reader.ReadLineAsync(client._stop.Token));
        client._reading = client.ReadAsync(reader);
        return client;
    }

    public IReadOnlyList<SseEvent> Events
    {
        get { lock (_lock) { return _events.ToList(); } }
    }

    public IEnumerable<SseEvent> Calls(Guid id) => Events.Where(e => e.Name == "call" && e.Data["event_id"]!.GetValue<Guid>() == id);

    /// <summary>Added to a timeout's message: the services' recent logs.</summary>
    public Func<string>? Diagnostics { get; init; }

    /// <summary>Waits for the first event that matches; fails after <paramref name="timeout"/>.</summary>
    public async Task<SseEvent> WaitForAsync(Func<SseEvent, bool> match, TimeSpan timeout)
    {
        try
        {
            return await WaitCoreAsync(match, timeout);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No such event within {timeout.TotalSeconds} s; received {Events.Count}: {string.Join(", ", Events.Select(e => e.Name))}\n{Diagnostics?.Invoke()}");
        }
    }

    private async Task<SseEvent> WaitCoreAsync(Func<SseEvent, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_events.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                Assert.False(Ended, "the stream ended");
                changed = _changed.Task;
            }

            await changed.WaitAsync(cts.Token);
        }
    }

    public Task<SseEvent> WaitForCallAsync(Guid id, TimeSpan timeout) =>
        WaitForAsync(e => e.Name == "call" && e.Data["event_id"]!.GetValue<Guid>() == id, timeout);

    private async Task ReadAsync(StreamReader reader)
    {
        string? name = null;
        var data = new List<string>();
        try
        {
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Count > 0)
                    {
                        Add(new SseEvent(name ?? "message", JsonNode.Parse(string.Join('\n', data))!, DateTimeOffset.UtcNow));
                    }

                    (name, data) = (null, []);
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Add(line[6..]);
                }
            }
        }
        catch (Exception)
        {
            // Stopped, or the server ended the stream: either way it has ended.
        }
        finally
        {
            lock (_lock)
            {
                Ended = true;
                _changed.TrySetResult();
            }
        }
    }

    private void Add(SseEvent e)
    {
        lock (_lock)
        {
            _events.Add(e);
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _http.Dispose();
    }
}

public sealed record SseEvent(string Name, JsonNode Data, DateTimeOffset ArrivedAt);
