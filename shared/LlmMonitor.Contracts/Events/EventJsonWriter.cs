using System.Text.Json;

namespace LlmMonitor.Events;

/// <summary>Writes an event in the public snake_case format, leaving out absent fields.</summary>
public static class EventJsonWriter
{
    public static void Write(Utf8JsonWriter writer, EventInput e)
    {
        writer.WriteStartObject();
        if (e.EventId is { } id)
        {
            writer.WriteString(EventFields.EventId, id);
        }

        if (e.Timestamp is { } ts)
        {
            writer.WriteString(EventFields.Timestamp, IsoTimestamp.Format(ts));
        }

        WriteString(writer, EventFields.Model, e.Model);
        WriteString(writer, EventFields.Provider, e.Provider);
        WriteNumber(writer, EventFields.PromptTokens, e.PromptTokens);
        WriteNumber(writer, EventFields.CompletionTokens, e.CompletionTokens);
        WriteNumber(writer, EventFields.TotalTokens, e.TotalTokens);
        WriteNumber(writer, EventFields.CachedTokens, e.CachedTokens);
        WriteNumber(writer, EventFields.CacheWriteTokens, e.CacheWriteTokens);
        WriteNumber(writer, EventFields.ReasoningTokens, e.ReasoningTokens);
        if (e.LatencyMs is { } latency)
        {
            writer.WriteNumber(EventFields.LatencyMs, latency);
        }

        if (e.CostUsd is { } cost)
        {
            writer.WriteNumber(EventFields.CostUsd, cost);
        }

        WriteString(writer, EventFields.TraceId, e.TraceId);
        WriteString(writer, EventFields.SpanId, e.SpanId);
        WriteString(writer, EventFields.ParentSpanId, e.ParentSpanId);
        WriteString(writer, EventFields.SessionId, e.SessionId);
        WriteString(writer, EventFields.UserId, e.UserId);
        WriteString(writer, EventFields.Status, e.Status);
        WriteString(writer, EventFields.ErrorMessage, e.ErrorMessage);
        if (e.Tags is { } tags)
        {
            writer.WriteStartObject(EventFields.Tags);
            foreach (var (key, value) in tags)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        WriteString(writer, EventFields.Input, e.Input);
        WriteString(writer, EventFields.Output, e.Output);
        writer.WriteEndObject();
    }

    private static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }
}
