using System.Text.Json.Serialization;
using LlmMonitor.Events;

namespace LlmMonitor.Client;

/// <summary>
/// One LLM call, in the gateway's event format (field names from the contracts library, docs/event.md). Only
/// <see cref="Model"/> is required.
/// </summary>
public sealed class LlmCallEvent
{
    /// <summary>The idempotency key. Filled in when the event is tracked, so a retried send is stored once.</summary>
    [JsonPropertyName(EventFields.EventId)] public Guid? EventId { get; set; }

    /// <summary>When the call started. Filled in with the current time when the event is tracked.</summary>
    [JsonPropertyName(EventFields.Timestamp)] public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The model name, as the provider reports it (1–200 characters).</summary>
    [JsonPropertyName(EventFields.Model)] public string Model { get; set; } = "";

    /// <summary>openai, anthropic, …; inferred by the gateway from the model when absent.</summary>
    [JsonPropertyName(EventFields.Provider)] public string? Provider { get; set; }

    /// <summary>Every input token: cache reads and cache writes included.</summary>
    [JsonPropertyName(EventFields.PromptTokens)] public long PromptTokens { get; set; }

    /// <summary>Output tokens, reasoning included.</summary>
    [JsonPropertyName(EventFields.CompletionTokens)] public long CompletionTokens { get; set; }

    /// <summary>Defaults to prompt + completion.</summary>
    [JsonPropertyName(EventFields.TotalTokens)] public long? TotalTokens { get; set; }

    /// <summary>Prompt tokens served from the provider's cache.</summary>
    [JsonPropertyName(EventFields.CachedTokens)] public long? CachedTokens { get; set; }

    /// <summary>Prompt tokens written to the provider's cache (Anthropic's cache_creation_input_tokens).</summary>
    [JsonPropertyName(EventFields.CacheWriteTokens)] public long? CacheWriteTokens { get; set; }

    /// <summary>Completion tokens spent on reasoning (o1/o3, extended thinking); counted in <see cref="CompletionTokens"/> too.</summary>
    [JsonPropertyName(EventFields.ReasoningTokens)] public long? ReasoningTokens { get; set; }

    /// <summary>Duration of the call in milliseconds.</summary>
    [JsonPropertyName(EventFields.LatencyMs)] public double? LatencyMs { get; set; }

    /// <summary>Leave empty to have the gateway price the call from its catalogue.</summary>
    [JsonPropertyName(EventFields.CostUsd)] public decimal? CostUsd { get; set; }

    /// <summary><c>success</c> (default) or <c>error</c>.</summary>
    [JsonPropertyName(EventFields.Status)] public string? Status { get; set; }

    /// <summary>Why the call failed (at most 4,000 characters).</summary>
    [JsonPropertyName(EventFields.ErrorMessage)] public string? ErrorMessage { get; set; }

    /// <summary>The trace the call is part of (1–64 characters of letters, digits and <c>._:-</c>).</summary>
    [JsonPropertyName(EventFields.TraceId)] public string? TraceId { get; set; }

    /// <summary>The call's own span in its trace.</summary>
    [JsonPropertyName(EventFields.SpanId)] public string? SpanId { get; set; }

    /// <summary>The span of the call this one was made in, if any.</summary>
    [JsonPropertyName(EventFields.ParentSpanId)] public string? ParentSpanId { get; set; }

    /// <summary>The conversation or agent run the call belongs to (1–200 characters).</summary>
    [JsonPropertyName(EventFields.SessionId)] public string? SessionId { get; set; }

    /// <summary>The end user the call was made for (1–200 characters).</summary>
    [JsonPropertyName(EventFields.UserId)] public string? UserId { get; set; }

    /// <summary>Free-form labels such as feature (at most 50).</summary>
    [JsonPropertyName(EventFields.Tags)] public Dictionary<string, string>? Tags { get; set; }

    /// <summary>The prompt (at most 64 KiB), shown in the call's details.</summary>
    [JsonPropertyName(EventFields.Input)] public string? Input { get; set; }

    /// <summary>The completion (at most 64 KiB).</summary>
    [JsonPropertyName(EventFields.Output)] public string? Output { get; set; }

    /// <summary>The two values of <see cref="Status"/>.</summary>
    public static class Statuses
    {
        /// <summary>The call succeeded.</summary>
        public const string Success = EventStatus.Success;

        /// <summary>The call failed.</summary>
        public const string Error = EventStatus.Error;
    }
}
