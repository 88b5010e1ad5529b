namespace LlmMonitor.Events;

/// <summary>The JSON field names of the event: the public contract for every ingest path.</summary>
public static class EventFields
{
    public const string EventId = "event_id";
    public const string Timestamp = "timestamp";
    public const string Model = "model";
    public const string Provider = "provider";
    public const string PromptTokens = "prompt_tokens";
    public const string CompletionTokens = "completion_tokens";
    public const string TotalTokens = "total_tokens";
    public const string CachedTokens = "cached_tokens";
    public const string CacheWriteTokens = "cache_write_tokens";
    public const string ReasoningTokens = "reasoning_tokens";
    public const string LatencyMs = "latency_ms";
    public const string CostUsd = "cost_usd";
    public const string TraceId = "trace_id";
    public const string SpanId = "span_id";
    public const string ParentSpanId = "parent_span_id";
    public const string SessionId = "session_id";
    public const string UserId = "user_id";
    public const string Status = "status";
    public const string ErrorMessage = "error_message";
    public const string Tags = "tags";
    public const string Input = "input";
    public const string Output = "output";
}
