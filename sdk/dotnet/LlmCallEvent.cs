using System.Text.Json.Serialization;

namespace LlmMonitor.Client;

/// <summary>One LLM call, in the gateway's event format. Only <see cref="Model"/> is required.</summary>
public sealed class LlmCallEvent
{
    /// <summary>The idempotency key. Filled in when the event is tracked, so a retried send is stored once.</summary>
    [JsonPropertyName("event_id")] public Guid? EventId { get; set; }

    /// <summary>When the call started. Filled in with the current time when the event is tracked.</summary>
    [JsonPropertyName("timestamp")] public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The model name, as the provider reports it (1–200 characters).</summary>
    [JsonPropertyName("model")] public string Model { get; set; } = "";

    /// <summary>openai, anthropic, …; inferred by the gateway from the model when absent.</summary>
    [JsonPropertyName("provider")] public string? Provider { get; set; }

    /// <summary>Input tokens, cached ones included.</summary>
    [JsonPropertyName("prompt_tokens")] public long PromptTokens { get; set; }

    /// <summary>Output tokens.</summary>
    [JsonPropertyName("completion_tokens")] public long CompletionTokens { get; set; }

    /// <summary>Defaults to prompt + completion.</summary>
    [JsonPropertyName("total_tokens")] public long? TotalTokens { get; set; }

    /// <summary>Prompt tokens served from the provider's cache.</summary>
    [JsonPropertyName("cached_tokens")] public long? CachedTokens { get; set; }

    /// <summary>Duration of the call in milliseconds.</summary>
    [JsonPropertyName("latency_ms")] public double? LatencyMs { get; set; }

    /// <summary>Leave empty to have the gateway price the call from its catalogue.</summary>
    [JsonPropertyName("cost_usd")] public decimal? CostUsd { get; set; }

    /// <summary><c>success</c> (default) or <c>error</c>.</summary>
    [JsonPropertyName("status")] public string? Status { get; set; }

    /// <summary>Why the call failed (at most 4,000 characters).</summary>
    [JsonPropertyName("error_message")] public string? ErrorMessage { get; set; }

    /// <summary>Free-form labels such as user_id or feature (at most 50).</summary>
    [JsonPropertyName("tags")] public Dictionary<string, string>? Tags { get; set; }

    /// <summary>The prompt (at most 64 KiB), shown in the call's details.</summary>
    [JsonPropertyName("input")] public string? Input { get; set; }

    /// <summary>The completion (at most 64 KiB).</summary>
    [JsonPropertyName("output")] public string? Output { get; set; }

    /// <summary>The two values of <see cref="Status"/>.</summary>
    public static class Statuses
    {
        /// <summary>The call succeeded.</summary>
        public const string Success = "success";

        /// <summary>The call failed.</summary>
        public const string Error = "error";
    }
}
