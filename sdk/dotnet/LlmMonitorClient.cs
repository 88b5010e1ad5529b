namespace LlmMonitor.Client;

/// <summary>
/// Records LLM calls to an LLM Monitor gateway. <see cref="Track"/> only puts the event in a bounded buffer; a
/// background loop sends batches to <c>/api/events/batch</c> and retries with backoff while the gateway is away.
/// Nothing here throws into the caller or blocks it. Dispose (or <see cref="FlushAsync"/>) to send what is left.
/// </summary>
public sealed partial class LlmMonitorClient : IAsyncDisposable, IDisposable
{
    private readonly EventBuffer _buffer;
    private readonly BatchSender _sender;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _closing = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _loop;
    private int _disposed;

    /// <summary>A client for the gateway at <paramref name="gatewayUrl"/>.</summary>
    public LlmMonitorClient(string gatewayUrl, string? apiKey = null)
        : this(new LlmMonitorOptions { GatewayUrl = new Uri(gatewayUrl), ApiKey = apiKey })
    {
    }

    /// <summary>A client with the given settings.</summary>
    public LlmMonitorClient(LlmMonitorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.GatewayUrl.AbsolutePath.EndsWith('/'))
        {
            options.GatewayUrl = new Uri(options.GatewayUrl + "/");
        }

        options.BatchSize = Math.Clamp(options.BatchSize, 1, 1000);
        options.MaxBufferedEvents = Math.Max(options.MaxBufferedEvents, 1);
        Options = options;
        _buffer = new EventBuffer(options.MaxBufferedEvents);
        _http = new HttpClient(options.GatewayHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) },
            disposeHandler: options.GatewayHandler is null) { Timeout = Timeout.InfiniteTimeSpan };
        _sender = new BatchSender(_buffer, options, _http);
        _loop = Task.Run(RunSenderAsync);
    }

    /// <summary>The settings in use.</summary>
    public LlmMonitorOptions Options { get; }

    /// <summary>What became of the events tracked so far.</summary>
    public MonitorStats Stats => _buffer.Stats();

    /// <summary>
    /// Queues one event. Fills in <see cref="LlmCallEvent.EventId"/> and <see cref="LlmCallEvent.Timestamp"/> when
    /// absent, adds the default tags, and cuts session and user ids to 200 characters (empty ones are left out). Inside <see cref="BeginSession"/> the event gets the session and user it
    /// leaves out; inside <see cref="TrackAsync{T}(string, Func{TrackedCall, Task{T}}, IReadOnlyDictionary{string, string}?)"/>
    /// it becomes a child span of the tracked call, unless it names its trace. Never throws and never waits; when
    /// the buffer is full the oldest event is dropped.
    /// </summary>
    public void Track(LlmCallEvent callEvent)
    {
        try
        {
            if (callEvent is not null)
            {
                CallContext.ApplyTo(callEvent);
                Enqueue(callEvent);
            }
        }
        catch (Exception e)
        {
            Options.Diagnostics?.Invoke($"LlmMonitor: an event could not be queued: {e.Message}");
        }
    }

    /// <summary>Queues an event whose session and trace are already set (the call may have ended in another context).</summary>
    internal void Enqueue(LlmCallEvent callEvent)
    {
        try
        {
            if (Volatile.Read(ref _disposed) == 1)
            {
                _buffer.CountDropped();
                return;
            }

            callEvent.EventId ??= Guid.CreateVersion7();
            callEvent.Timestamp ??= DateTimeOffset.UtcNow;
            callEvent.SessionId = Ids.Clean(callEvent.SessionId);
            callEvent.UserId = Ids.Clean(callEvent.UserId);
            if (Options.DefaultTags.Count > 0)
            {
                var tags = new Dictionary<string, string>(Options.DefaultTags, StringComparer.Ordinal);
                foreach (var (key, value) in callEvent.Tags ?? [])
                {
                    tags[key] = value;
                }

                callEvent.Tags = tags;
            }

            var waiting = _buffer.Add(callEvent);
            if (waiting == 1 || waiting >= Options.BatchSize)
            {
                _sender.Wake();
            }
        }
        catch (Exception e)
        {
            Options.Diagnostics?.Invoke($"LlmMonitor: an event could not be queued: {e.Message}");
        }
    }

    /// <summary>Sends the events tracked so far without waiting for fuller batches.</summary>
    /// <returns>True when all of them have left the buffer (sent, or refused by the gateway) within <paramref name="timeout"/> (default 10 s).</returns>
    public async Task<bool> FlushAsync(TimeSpan? timeout = null)
    {
        var target = _buffer.NextSeq;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        _sender.FlushUntil(target);
        while (true)
        {
            // Taken before the check, so that a batch finished in between still wakes this loop.
            var progress = _sender.Progress;
            if (_buffer.HasSettled(target))
            {
                return true;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || _loop.IsCompleted)
            {
                return false;
            }

            await Task.WhenAny(progress, Task.Delay(left)).ConfigureAwait(false);
        }
    }

    /// <summary>An <see cref="HttpClient"/> handler that records the OpenAI and Anthropic calls made through it.</summary>
    public Http.LlmMonitorHandler CreateHandler(HttpMessageHandler? inner = null) =>
        new(this) { InnerHandler = inner ?? new SocketsHttpHandler() };

    private async Task RunSenderAsync()
    {
        while (!_abort.IsCancellationRequested)
        {
            try
            {
                await _sender.RunAsync(_closing.Token, _abort.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception e)
            {
                Options.Diagnostics?.Invoke($"LlmMonitor: the sender stopped unexpectedly and restarts: {e}");
                await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sends what is buffered (waiting at most <see cref="LlmMonitorOptions.ShutdownTimeout"/>), then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        _sender.Wake();
        await Task.WhenAny(_loop, Task.Delay(Options.ShutdownTimeout)).ConfigureAwait(false);
        await _abort.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _buffer.DropAll();
        _http.Dispose();
        _closing.Dispose();
        _abort.Dispose();
    }

    /// <summary>Like <see cref="DisposeAsync"/>; blocks for at most <see cref="LlmMonitorOptions.ShutdownTimeout"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
