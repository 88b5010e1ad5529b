namespace LlmMonitor.Client;

/// <summary>
/// The call being tracked by <see cref="LlmMonitorClient.TrackAsync{T}(string, Func{TrackedCall, Task{T}}, IReadOnlyDictionary{string, string}?)"/>.
/// Set what the result tells (model, usage); what is left unset is read from the result when it is an OpenAI or Anthropic response.
/// </summary>
public sealed class TrackedCall
{
    internal TrackedCall(string model, IReadOnlyDictionary<string, string>? tags, SpanInfo span, SessionInfo? session)
    {
        Model = model;
        Tags = tags is null ? new(StringComparer.Ordinal) : new(tags, StringComparer.Ordinal);
        Span = span;
        SessionId = session?.SessionId;
        UserId = session?.UserId;
    }

    internal SpanInfo Span { get; }

    /// <summary>The model; set it to the one the response names when it differs.</summary>
    public string Model { get; set; }

    /// <summary>openai, anthropic, …; inferred from the model when null.</summary>
    public string? Provider { get; set; }

    /// <summary>Every input token: cache reads and cache writes included.</summary>
    public long? PromptTokens { get; set; }

    /// <summary>Output tokens, reasoning included.</summary>
    public long? CompletionTokens { get; set; }

    /// <summary>Prompt tokens served from the provider's cache.</summary>
    public long? CachedTokens { get; set; }

    /// <summary>Prompt tokens written to the provider's cache.</summary>
    public long? CacheWriteTokens { get; set; }

    /// <summary>Completion tokens spent on reasoning.</summary>
    public long? ReasoningTokens { get; set; }

    /// <summary>Leave null to have the gateway price the call.</summary>
    public decimal? CostUsd { get; set; }

    /// <summary>The prompt, if it should be recorded.</summary>
    public string? Input { get; set; }

    /// <summary>The completion, if it should be recorded.</summary>
    public string? Output { get; set; }

    /// <summary>The tags of this call; add to them freely.</summary>
    public Dictionary<string, string> Tags { get; }

    /// <summary>The session of the call: the current one from <see cref="LlmMonitorClient.BeginSession"/>, unless set.</summary>
    public string? SessionId { get; set; }

    /// <summary>The end user of the call: the current session's, unless set.</summary>
    public string? UserId { get; set; }

    /// <summary>The trace of the call: its parent's, or a new one when no tracked call is running around it.</summary>
    public string TraceId => Span.TraceId;

    /// <summary>The call's own span; calls tracked inside it have it as their parent.</summary>
    public string SpanId => Span.SpanId;

    /// <summary>The span of the tracked call this one runs in, or null.</summary>
    public string? ParentSpanId => Span.ParentSpanId;

    /// <summary>Sets the token counts at once.</summary>
    public void SetUsage(long promptTokens, long completionTokens, long? cachedTokens = null, long? cacheWriteTokens = null,
        long? reasoningTokens = null)
    {
        PromptTokens = promptTokens;
        CompletionTokens = completionTokens;
        CachedTokens = cachedTokens;
        CacheWriteTokens = cacheWriteTokens;
        ReasoningTokens = reasoningTokens;
    }

    /// <summary>
    /// Reads model and usage from an OpenAI or Anthropic response, or from one update of a stream (OpenAI's last
    /// chunk, <c>response.completed</c>; Anthropic's <c>message_start</c> and <c>message_delta</c>): the counts it
    /// tells replace those set before. Give it every update of a stream. Never throws.
    /// </summary>
    public void ReadUsage(object? responseOrUpdate)
    {
        if (responseOrUpdate is not null && UsageReader.Read(responseOrUpdate) is { } usage)
        {
            Model = usage.Model ?? Model;
            Provider = usage.Provider ?? Provider;
            PromptTokens = usage.PromptTokens ?? PromptTokens;
            CompletionTokens = usage.CompletionTokens ?? CompletionTokens;
            CachedTokens = usage.CachedTokens ?? CachedTokens;
            CacheWriteTokens = usage.CacheWriteTokens ?? CacheWriteTokens;
            ReasoningTokens = usage.ReasoningTokens ?? ReasoningTokens;
        }
    }

    /// <summary>Fills in what is still unset from the call's result.</summary>
    internal void FillFrom(object result)
    {
        if (UsageReader.Read(result) is { } usage)
        {
            Model = usage.Model ?? Model;
            Provider ??= usage.Provider;
            PromptTokens ??= usage.PromptTokens;
            CompletionTokens ??= usage.CompletionTokens;
            CachedTokens ??= usage.CachedTokens;
            CacheWriteTokens ??= usage.CacheWriteTokens;
            ReasoningTokens ??= usage.ReasoningTokens;
        }
    }

    internal LlmCallEvent ToEvent(DateTimeOffset start, double latencyMs, Exception? error) => new()
    {
        Timestamp = start,
        Model = Model,
        Provider = Provider,
        PromptTokens = PromptTokens ?? 0,
        CompletionTokens = CompletionTokens ?? 0,
        CachedTokens = CachedTokens,
        CacheWriteTokens = CacheWriteTokens,
        ReasoningTokens = ReasoningTokens,
        LatencyMs = latencyMs,
        CostUsd = CostUsd,
        Status = error is null ? LlmCallEvent.Statuses.Success : LlmCallEvent.Statuses.Error,
        ErrorMessage = error is null ? null : Truncate($"{error.GetType().Name}: {error.Message}", 4000),
        TraceId = TraceId,
        SpanId = SpanId,
        ParentSpanId = ParentSpanId,
        SessionId = SessionId,
        UserId = UserId,
        Tags = Tags.Count == 0 ? null : Tags,
        Input = Input,
        Output = Output,
    };

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
