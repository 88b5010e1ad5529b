using System.Text.Json.Serialization;

namespace LlmMonitor.WebUi.Queries;

/// <summary>One stored call. <see cref="Input"/> and <see cref="Output"/> are filled only for a single call's details.</summary>
public sealed record Conversation(
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
    string CostSource,
    string? TraceId,
    string? SpanId,
    string? ParentSpanId,
    string? SessionId,
    string? UserId,
    string Status,
    string? ErrorMessage,
    IReadOnlyDictionary<string, string> Tags,
    DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Input = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Output = null);

public sealed record ConversationPage(IReadOnlyList<Conversation> Items, int Page, int PageSize, long Total);

/// <summary>The filters of the conversation list and the export. A null time bound means "all stored events".</summary>
public sealed record ConversationFilter(
    string? Model = null,
    string? Status = null,
    string? TagKey = null,
    string? TagValue = null,
    string? Search = null,
    DateTimeOffset? Start = null,
    DateTimeOffset? End = null)
{
    public bool HasTag => TagKey is not null;

    /// <summary>"key:value" → (key, value); null when the text has no colon or an empty key.</summary>
    public static (string Key, string Value)? ParseTag(string? text) => TagFilter.Parse(text) is { } tag ? (tag.Key, tag.Value) : null;
}
