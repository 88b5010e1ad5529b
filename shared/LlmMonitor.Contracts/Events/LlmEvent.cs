namespace LlmMonitor.Events;

/// <summary>A validated event with every default filled in, ready to price and store.</summary>
public sealed record LlmEvent(
    Guid EventId,
    DateTimeOffset Timestamp,
    string Model,
    string Provider,
    int PromptTokens,
    int CompletionTokens,
    long TotalTokens,
    int CachedTokens,
    int CacheWriteTokens,
    int ReasoningTokens,
    double? LatencyMs,
    decimal? CostUsd,
    CostSource CostSource,
    string? TraceId,
    string? SpanId,
    string? ParentSpanId,
    string? SessionId,
    string? UserId,
    string Status,
    string? ErrorMessage,
    IReadOnlyDictionary<string, string> Tags,
    string? Input,
    string? Output);

public enum CostSource
{
    Client,
    Catalogue,
}

public static class EventStatus
{
    public const string Success = "success";
    public const string Error = "error";
}
