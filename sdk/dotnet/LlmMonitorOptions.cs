namespace LlmMonitor.Client;

/// <summary>Settings of an <see cref="LlmMonitorClient"/>.</summary>
public sealed class LlmMonitorOptions
{
    /// <summary>The ingest gateway, e.g. http://localhost:8000.</summary>
    public Uri GatewayUrl { get; set; } = new("http://localhost:8000");

    /// <summary>One of the gateway's INGEST_API_KEYS, when it requires one.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Events kept while the gateway is slow or away; beyond this the oldest are dropped (and counted).</summary>
    public int MaxBufferedEvents { get; set; } = 10_000;

    /// <summary>Events per request (the gateway takes at most 1,000).</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How long an event may wait for a fuller batch.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>First pause after a failed send; it doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest pause between retries.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one request to the gateway.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long disposing waits for buffered events to be sent.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Tags added to every event (an event's own tags win).</summary>
    public IDictionary<string, string> DefaultTags { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Whether the HTTP handler records prompts and completions (off by default: they may hold personal data).</summary>
    public bool CaptureContent { get; set; }

    /// <summary>Receives the client's own problems (failed sends, refused events); never called on the caller's thread.</summary>
    public Action<string>? Diagnostics { get; set; }

    /// <summary>The handler used to reach the gateway (tests, proxies); a fresh one when null.</summary>
    public HttpMessageHandler? GatewayHandler { get; set; }
}
