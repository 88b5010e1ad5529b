using System.Globalization;
using LlmMonitor.Events;
using static LlmMonitor.IngestGateway.Otlp.GenAiAttributes;

namespace LlmMonitor.IngestGateway.Otlp;

/// <summary>
/// Turns a span carrying the GenAI semantic conventions into an event. Problems with a span (no model, a token
/// count that is not a number) are left in <see cref="EventInput.ShapeErrors"/> for the shared validator to report.
/// </summary>
public static class GenAiSpanMapper
{
    /// <returns>The event, or null when the span is not one model call (no gen_ai.* attribute, or an agent or tool span).</returns>
    public static EventInput? Map(OtlpSpan span)
    {
        var attributes = span.Attributes;
        if (!attributes.Keys.Any(k => k.StartsWith(Prefix, StringComparison.Ordinal))
            || (SpanAttributes.Text(attributes, OperationName) is { } operation && NotModelCalls.Contains(operation)))
        {
            return null;
        }

        var input = new EventInput
        {
            Model = SpanAttributes.Text(attributes, ResponseModel) ?? SpanAttributes.Text(attributes, RequestModel),
            Provider = SpanAttributes.Text(attributes, ProviderName) ?? SpanAttributes.Text(attributes, GenAiAttributes.System),
            Timestamp = Time(span.StartTimeUnixNano),
            LatencyMs = span.EndTimeUnixNano >= span.StartTimeUnixNano && span.StartTimeUnixNano > 0
                ? (span.EndTimeUnixNano - span.StartTimeUnixNano) / 1_000_000.0
                : null,
            TraceId = HexId(span.TraceId, 16),
            SpanId = HexId(span.SpanId, 8),
            ParentSpanId = HexId(span.ParentSpanId, 8),
            SessionId = Label(attributes, ConversationId),
            UserId = Label(attributes, UserId) ?? Label(attributes, EndUserId),
            Tags = SpanTags.Of(span),
            Input = SpanContent.Input(span),
            Output = SpanContent.Output(span),
        };
        if (input.Model is null)
        {
            input.ShapeErrors.Add(EventFields.Model, $"the span has neither {ResponseModel} nor {RequestModel}");
        }

        if (SpanEventId.IsValid(span.TraceId, span.SpanId))
        {
            input.EventId = SpanEventId.From(span.TraceId, span.SpanId);
        }
        else
        {
            input.ShapeErrors.Add(EventFields.EventId, "the span needs a 16-byte trace_id and an 8-byte span_id");
        }

        ReadUsage(attributes, input);
        ReadStatus(span, input);
        return input;
    }

    private static void ReadUsage(IReadOnlyDictionary<string, object?> attributes, EventInput input)
    {
        input.PromptTokens = Count(attributes, input, EventFields.PromptTokens, InputTokens, PromptTokens);
        input.CompletionTokens = Count(attributes, input, EventFields.CompletionTokens, OutputTokens, CompletionTokens);
        input.CachedTokens = Count(attributes, input, EventFields.CachedTokens, CacheReadInputTokens);
        input.CacheWriteTokens = Count(attributes, input, EventFields.CacheWriteTokens, CacheWriteInputTokens, CacheCreationInputTokens);
        input.ReasoningTokens = Count(attributes, input, EventFields.ReasoningTokens, ReasoningOutputTokens);
        var cacheParts = (input.CachedTokens ?? 0) + (input.CacheWriteTokens ?? 0);
        if (cacheParts > (input.PromptTokens ?? 0))
        {
            // The conventions count cache reads and writes inside input_tokens; a sender that passes Anthropic's raw
            // usage on (input_tokens without them) is recognised by reads + writes > input and made to follow them.
            input.PromptTokens = (input.PromptTokens ?? 0) + cacheParts;
        }
    }

    /// <summary>
    /// An OTLP trace id (16 bytes) or span id (8 bytes) as lower-case hex, as OTLP/JSON writes it; null when absent or
    /// invalid (another length, all zeros), so that a malformed parent id does not cost the call.
    /// </summary>
    private static string? HexId(byte[] id, int length) =>
        id.Length == length && id.AsSpan().ContainsAnyExcept((byte)0) ? Convert.ToHexStringLower(id) : null;

    /// <summary>
    /// A session or user id attribute, when it is one the event may carry. One that is not (over 200 characters) is
    /// left out rather than losing the call; the tags still show it, cut to the tag limit.
    /// </summary>
    private static string? Label(IReadOnlyDictionary<string, object?> attributes, string key) =>
        SpanAttributes.Text(attributes, key) is { } text && EventRules.IsLabel(text) ? text : null;

    private static long? Count(IReadOnlyDictionary<string, object?> attributes, EventInput input, string field, params string[] names)
    {
        foreach (var name in names)
        {
            if (!attributes.TryGetValue(name, out var value) || value is null)
            {
                continue;
            }

            if (SpanAttributes.Integer(value) is { } count)
            {
                return count;
            }

            input.ShapeErrors.Add(field, $"{name} must be an integer");
            return null;
        }

        return null;
    }

    private static void ReadStatus(OtlpSpan span, EventInput input)
    {
        var errorType = SpanAttributes.Text(span.Attributes, ErrorType);
        if (span.StatusCode != OtlpStatusCode.Error && string.IsNullOrEmpty(errorType))
        {
            return;
        }

        input.Status = EventStatus.Error;
        var message = string.IsNullOrWhiteSpace(span.StatusMessage) ? ExceptionMessage(span) : span.StatusMessage;
        if (!string.IsNullOrEmpty(errorType) && (message is null || !message.Contains(errorType, StringComparison.Ordinal)))
        {
            message = message is null ? errorType : $"{errorType}: {message}";
        }

        message ??= "The span's status is ERROR.";
        input.ErrorMessage = message.Length > EventRules.ErrorMessageMaxLength ? message[..EventRules.ErrorMessageMaxLength] : message;
    }

    /// <summary>The message of the span's exception event (semantic conventions: exception.type, exception.message).</summary>
    private static string? ExceptionMessage(OtlpSpan span)
    {
        var exception = span.Events.LastOrDefault(e => e.Name == "exception");
        if (exception is null)
        {
            return null;
        }

        var type = SpanAttributes.Text(exception.Attributes, "exception.type");
        var message = SpanAttributes.Text(exception.Attributes, "exception.message");
        return (type, message) switch
        {
            (null, null) => null,
            (null, _) => message,
            (_, null) => type,
            _ => $"{type}: {message}",
        };
    }

    private static DateTimeOffset? Time(ulong unixNano) =>
        unixNano == 0 ? null : DateTimeOffset.UnixEpoch.AddTicks((long)(unixNano / 1000) * 10);
}
