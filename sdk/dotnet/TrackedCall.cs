namespace LlmMonitor.Client;

/// <summary>
/// The call being tracked by <see cref="LlmMonitorClient.TrackAsync{T}(string, Func{TrackedCall, Task{T}}, IReadOnlyDictionary{string, string}?)"/>.
/// Set what the result tells (model, usage); what is left unset is read from the result when it is an OpenAI or Anthropic response.
/// </summary>
public sealed class TrackedCall
{
    internal TrackedCall(string model, IReadOnlyDictionary<string, string>? tags)
    {
        Model = model;
        Tags = tags is null ? new(StringComparer.Ordinal) : new(tags, StringComparer.Ordinal);
    }

    /// <summary>The model; set it to the one the response names when it differs.</summary>
    public string Model { get; set; }

    /// <summary>openai, anthropic, …; inferred from the model when null.</summary>
    public string? Provider { get; set; }

    /// <summary>Input tokens, cached ones included.</summary>
    public long? PromptTokens { get; set; }

    /// <summary>Output tokens.</summary>
    public long? CompletionTokens { get; set; }

    /// <summary>Prompt tokens served from the provider's cache.</summary>
    public long? CachedTokens { get; set; }

    /// <summary>Leave null to have the gateway price the call.</summary>
    public decimal? CostUsd { get; set; }

    /// <summary>The prompt, if it should be recorded.</summary>
    public string? Input { get; set; }

    /// <summary>The completion, if it should be recorded.</summary>
    public string? Output { get; set; }

    /// <summary>The tags of this call; add to them freely.</summary>
    public Dictionary<string, string> Tags { get; }

    /// <summary>Sets the token counts at once.</summary>
    public void SetUsage(long promptTokens, long completionTokens, long? cachedTokens = null)
    {
        PromptTokens = promptTokens;
        CompletionTokens = completionTokens;
        CachedTokens = cachedTokens;
    }

    internal LlmCallEvent ToEvent(DateTimeOffset start, double latencyMs, Exception? error) => new()
    {
        Timestamp = start,
        Model = Model,
        Provider = Provider,
        PromptTokens = PromptTokens ?? 0,
        CompletionTokens = CompletionTokens ?? 0,
        CachedTokens = CachedTokens,
        LatencyMs = latencyMs,
        CostUsd = CostUsd,
        Status = error is null ? LlmCallEvent.Statuses.Success : LlmCallEvent.Statuses.Error,
        ErrorMessage = error is null ? null : Truncate($"{error.GetType().Name}: {error.Message}", 4000),
        Tags = Tags.Count == 0 ? null : Tags,
        Input = Input,
        Output = Output,
    };

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
