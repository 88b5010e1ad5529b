using System.Text;
using LlmMonitor.Events;
using static LlmMonitor.IngestGateway.Otlp.GenAiAttributes;

namespace LlmMonitor.IngestGateway.Otlp;

/// <summary>
/// The prompt and completion of a span, when the instrumentation records them (opt-in in every GenAI
/// instrumentation): gen_ai.input.messages / gen_ai.output.messages, or the older gen_ai.prompt / gen_ai.completion
/// as attributes or on the gen_ai.content.* events. Cut to the event's 64 KiB limit.
/// </summary>
public static class SpanContent
{
    public static string? Input(OtlpSpan span) =>
        Cut(SpanAttributes.AsText(Find(span, InputMessages) ?? Find(span, Prompt) ?? EventValue(span, "gen_ai.content.prompt", Prompt)));

    public static string? Output(OtlpSpan span) =>
        Cut(SpanAttributes.AsText(Find(span, OutputMessages) ?? Find(span, Completion) ?? EventValue(span, "gen_ai.content.completion", Completion)));

    private static object? Find(OtlpSpan span, string key) => span.Attributes.GetValueOrDefault(key);

    private static object? EventValue(OtlpSpan span, string eventName, string key) =>
        span.Events.LastOrDefault(e => e.Name == eventName)?.Attributes.GetValueOrDefault(key);

    private static string? Cut(string? text)
    {
        if (text is null || text.Length * 3 <= EventRules.TextMaxBytes || Encoding.UTF8.GetByteCount(text) <= EventRules.TextMaxBytes)
        {
            return text;
        }

        // Cut on a character boundary: never split a surrogate pair.
        var length = Math.Min(text.Length, EventRules.TextMaxBytes);
        while (Encoding.UTF8.GetByteCount(text.AsSpan(0, length)) > EventRules.TextMaxBytes)
        {
            length -= Math.Max(1, (Encoding.UTF8.GetByteCount(text.AsSpan(0, length)) - EventRules.TextMaxBytes) / 3);
        }

        if (length > 0 && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length];
    }
}
