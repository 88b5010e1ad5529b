using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using LlmMonitor.Events;

namespace LlmMonitor.IngestGateway;

/// <summary>One LLM call. Only <c>model</c> is required; the same body is accepted on every ingest path.</summary>
/// <remarks>This type documents the contract in Swagger; requests are read by the shared event reader.</remarks>
public sealed record EventDocument
{
    /// <summary>Idempotency key: the same id sent twice is stored and counted once. Generated when absent.</summary>
    /// <example>0f8fad5b-d9cb-469f-a165-70867728950e</example>
    [JsonPropertyName("event_id")] public Guid? EventId { get; init; }

    /// <summary>When the call happened (ISO 8601). Default: the time the gateway received it. At most the retention window old and 1 day ahead.</summary>
    /// <example>2025-01-31T12:00:00Z</example>
    [JsonPropertyName("timestamp")] public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Model name, 1–200 characters.</summary>
    /// <example>gpt-4o-2024-08-06</example>
    [JsonPropertyName("model")] public required string Model { get; init; }

    /// <summary>Inferred from the model when absent: gpt-*, o1*, o3* → openai; claude-* → anthropic; else unknown.</summary>
    /// <example>openai</example>
    [JsonPropertyName("provider")] public string? Provider { get; init; }

    /// <summary>Input tokens, 0–100,000,000 (default 0), cache reads and cache writes included.</summary>
    /// <example>1200</example>
    [Range(0, EventRules.MaxTokens)]
    [JsonPropertyName("prompt_tokens")] public int? PromptTokens { get; init; }

    /// <summary>Output tokens, 0–100,000,000 (default 0).</summary>
    /// <example>350</example>
    [Range(0, EventRules.MaxTokens)]
    [JsonPropertyName("completion_tokens")] public int? CompletionTokens { get; init; }

    /// <summary>0–200,000,000. Default: prompt_tokens + completion_tokens.</summary>
    /// <example>1550</example>
    [Range(0, EventRules.MaxTotalTokens)]
    [JsonPropertyName("total_tokens")] public long? TotalTokens { get; init; }

    /// <summary>Prompt tokens served from the provider's cache; 0–100,000,000 and ≤ prompt_tokens.</summary>
    /// <example>1024</example>
    [Range(0, EventRules.MaxTokens)]
    [JsonPropertyName("cached_tokens")] public int? CachedTokens { get; init; }

    /// <summary>Prompt tokens written to the provider's cache (Anthropic's cache_creation_input_tokens); 0–100,000,000, and cached_tokens + cache_write_tokens ≤ prompt_tokens.</summary>
    /// <example>0</example>
    [Range(0, EventRules.MaxTokens)]
    [JsonPropertyName("cache_write_tokens")] public int? CacheWriteTokens { get; init; }

    /// <summary>Completion tokens spent on reasoning (inside completion_tokens, priced as output); 0 ≤ … ≤ completion_tokens.</summary>
    /// <example>128</example>
    [Range(0, EventRules.MaxTokens)]
    [JsonPropertyName("reasoning_tokens")] public int? ReasoningTokens { get; init; }

    /// <summary>Call duration in milliseconds, 0–86,400,000 (a day); kept to the microsecond.</summary>
    /// <example>842.5</example>
    [Range(0, EventRules.MaxLatencyMs)]
    [JsonPropertyName("latency_ms")] public double? LatencyMs { get; init; }

    /// <summary>Cost as computed by the client, 0–100,000; kept as sent, to 12 decimal places. When absent the catalogue prices the call.</summary>
    /// <example>0.00736</example>
    [Range(0, 100_000)] // EventRules.MaxCostUsd: an attribute cannot take a decimal
    [JsonPropertyName("cost_usd")] public decimal? CostUsd { get; init; }

    /// <summary>The trace the call belongs to: 1–64 characters of A–Z, a–z, 0–9, '.', '_', ':', '-'.</summary>
    /// <example>5b8efff798038103d269b633813fc60c</example>
    [JsonPropertyName("trace_id")] public string? TraceId { get; init; }

    /// <summary>The call's span in the trace; same characters as trace_id.</summary>
    /// <example>eee19b7ec3c1b174</example>
    [JsonPropertyName("span_id")] public string? SpanId { get; init; }

    /// <summary>The span the call was made inside (e.g. an agent run's); same characters as trace_id.</summary>
    /// <example>null</example>
    [JsonPropertyName("parent_span_id")] public string? ParentSpanId { get; init; }

    /// <summary>The conversation or agent run the call belongs to, 1–200 characters.</summary>
    /// <example>chat-7f3a</example>
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }

    /// <summary>The end user the call was made for, 1–200 characters. When absent, the tag user_id is used.</summary>
    /// <example>u-1042</example>
    [JsonPropertyName("user_id")] public string? UserId { get; init; }

    /// <summary>success (default) or error.</summary>
    /// <example>success</example>
    [JsonPropertyName("status")] public string? Status { get; init; }

    /// <summary>At most 4,000 characters.</summary>
    /// <example>null</example>
    [JsonPropertyName("error_message")] public string? ErrorMessage { get; init; }

    /// <summary>At most 50 keys; key ≤ 64 characters, value ≤ 256.</summary>
    [JsonPropertyName("tags")] public Dictionary<string, string>? Tags { get; init; }

    /// <summary>The prompt, at most 64 KiB.</summary>
    /// <example>Summarise this ticket in one line.</example>
    [JsonPropertyName("input")] public string? Input { get; init; }

    /// <summary>The completion, at most 64 KiB.</summary>
    /// <example>Customer cannot reset their password.</example>
    [JsonPropertyName("output")] public string? Output { get; init; }
}
