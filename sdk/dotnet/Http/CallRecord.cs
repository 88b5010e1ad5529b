using System.Text;

namespace LlmMonitor.Client.Http;

/// <summary>What is learnt about one call from its request, its response and its stream, as it arrives.</summary>
internal sealed class CallRecord(LlmApi api, DateTimeOffset start, SpanInfo span, SessionInfo? session)
{
    private readonly StringBuilder _output = new();

    public LlmApi Api { get; } = api;
    public DateTimeOffset Start { get; } = start;

    /// <summary>Where the call sits in a trace, and its session: those of the code that made it, when it was made.</summary>
    public SpanInfo Span { get; } = span;
    public SessionInfo? Session { get; } = session;

    public string? RequestModel { get; set; }
    public string? ResponseModel { get; set; }
    public long? InputTokens { get; set; }
    public long? OutputTokens { get; set; }
    public long? CachedTokens { get; set; }

    /// <summary>Anthropic's cache writes, counted apart from its input_tokens.</summary>
    public long? CacheWriteTokens { get; set; }

    public long? ReasoningTokens { get; set; }

    public string? Error { get; set; }
    public string? Input { get; set; }
    public bool CaptureOutput { get; set; }

    public void AppendOutput(string? text)
    {
        if (CaptureOutput && text is not null && _output.Length < TextLimit.MaxChars)
        {
            _output.Append(TextLimit.Cut(text, TextLimit.MaxChars - _output.Length));
        }
    }

    public LlmCallEvent ToEvent(double latencyMs, IReadOnlyDictionary<string, string>? tags)
    {
        var prompt = InputTokens ?? 0;
        if (Api == LlmApi.AnthropicMessages)
        {
            // Anthropic's input_tokens leaves out cache reads and writes; the event's prompt_tokens includes them.
            prompt += (CachedTokens ?? 0) + (CacheWriteTokens ?? 0);
        }

        return new LlmCallEvent
        {
            Timestamp = Start,
            Model = ResponseModel ?? RequestModel ?? "unknown",
            Provider = Api.Provider(),
            PromptTokens = prompt,
            CompletionTokens = OutputTokens ?? 0,
            CachedTokens = CachedTokens,
            CacheWriteTokens = CacheWriteTokens,
            ReasoningTokens = ReasoningTokens,
            LatencyMs = latencyMs,
            Status = Error is null ? LlmCallEvent.Statuses.Success : LlmCallEvent.Statuses.Error,
            ErrorMessage = Error is { Length: > 4000 } e ? e[..4000] : Error,
            TraceId = Span.TraceId,
            SpanId = Span.SpanId,
            ParentSpanId = Span.ParentSpanId,
            SessionId = Session?.SessionId,
            UserId = Session?.UserId,
            Tags = tags is null || tags.Count == 0 ? null : new Dictionary<string, string>(tags, StringComparer.Ordinal),
            Input = Input,
            Output = CaptureOutput && _output.Length > 0 ? _output.ToString() : null,
        };
    }
}
