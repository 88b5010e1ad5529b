namespace LlmMonitor.Events;

/// <summary>
/// An event as it arrives on any ingest path: every field optional, exactly as sent.
/// <see cref="ShapeErrors"/> holds fields whose JSON type was wrong; the validator adds the rest.
/// </summary>
public sealed class EventInput
{
    public Guid? EventId { get; set; }
    public DateTimeOffset? Timestamp { get; set; }
    public string? Model { get; set; }
    public string? Provider { get; set; }
    public long? PromptTokens { get; set; }
    public long? CompletionTokens { get; set; }
    public long? TotalTokens { get; set; }
    public long? CachedTokens { get; set; }
    public long? CacheWriteTokens { get; set; }
    public long? ReasoningTokens { get; set; }
    public double? LatencyMs { get; set; }
    public decimal? CostUsd { get; set; }
    public string? TraceId { get; set; }
    public string? SpanId { get; set; }
    public string? ParentSpanId { get; set; }
    public string? SessionId { get; set; }
    public string? UserId { get; set; }
    public string? Status { get; set; }
    public string? ErrorMessage { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
    public string? Input { get; set; }
    public string? Output { get; set; }

    public ValidationErrors ShapeErrors { get; } = new();

    /// <summary>The object had fields the contract does not have (ignored).</summary>
    public bool HasUnknownFields { get; set; }

    /// <summary>The object had <c>"event_id": null</c> (read as no id).</summary>
    public bool EventIdSentAsNull { get; set; }
}
