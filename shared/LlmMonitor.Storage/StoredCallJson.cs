using System.Text;
using System.Text.Json;
using LlmMonitor.Events;

namespace LlmMonitor.Storage;

/// <summary>
/// One stored call's list fields (every column but input, output and created_at) as a JSON object whose keys are the
/// column names, in column order, with the values as PostgreSQL keeps them: the timestamp cut to whole microseconds
/// in UTC, the tags in jsonb's key order (shorter keys first, then by their UTF-8 bytes). The web-ui's live view sends
/// it as is, with the transaction's created_at added as the last field. The default encoder escapes everything
/// outside ASCII, so the text is ASCII: as many bytes as characters, and never a raw newline.
/// </summary>
public static class StoredCallJson
{
    public static void Write(Utf8JsonWriter json, LlmEvent e)
    {
        json.WriteStartObject();
        json.WriteString("event_id"u8, e.EventId);
        json.WriteString("timestamp"u8, AsStored(e.Timestamp));
        json.WriteString("model"u8, e.Model);
        json.WriteString("provider"u8, e.Provider);
        json.WriteNumber("prompt_tokens"u8, e.PromptTokens);
        json.WriteNumber("completion_tokens"u8, e.CompletionTokens);
        json.WriteNumber("total_tokens"u8, e.TotalTokens);
        json.WriteNumber("cached_tokens"u8, e.CachedTokens);
        json.WriteNumber("cache_write_tokens"u8, e.CacheWriteTokens);
        json.WriteNumber("reasoning_tokens"u8, e.ReasoningTokens);
        WriteNumberOrNull(json, "latency_ms"u8, e.LatencyMs);
        if (e.CostUsd is { } cost)
        {
            json.WriteNumber("cost_usd"u8, cost);
        }
        else
        {
            json.WriteNull("cost_usd"u8);
        }

        json.WriteString("cost_source"u8, e.CostSource == CostSource.Client ? "client"u8 : "catalogue"u8);
        json.WriteString("trace_id"u8, e.TraceId);
        json.WriteString("span_id"u8, e.SpanId);
        json.WriteString("parent_span_id"u8, e.ParentSpanId);
        json.WriteString("session_id"u8, e.SessionId);
        json.WriteString("user_id"u8, e.UserId);
        json.WriteString("status"u8, e.Status);
        json.WriteString("error_message"u8, e.ErrorMessage);
        json.WriteStartObject("tags"u8);
        foreach (var (key, value) in InJsonbOrder(e.Tags))
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>What timestamptz keeps: whole microseconds (a tick below one is cut off, as Npgsql does when it sends the value), read back in UTC.</summary>
    public static DateTimeOffset AsStored(DateTimeOffset time) => new(time.UtcTicks - time.UtcTicks % 10, TimeSpan.Zero);

    private static void WriteNumberOrNull(Utf8JsonWriter json, ReadOnlySpan<byte> name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> InJsonbOrder(IReadOnlyDictionary<string, string> tags) =>
        tags.Count < 2 ? tags : tags.OrderBy(t => t.Key, JsonbKeyOrder.Instance);

    private sealed class JsonbKeyOrder : IComparer<string>
    {
        public static readonly JsonbKeyOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var (a, b) = (Encoding.UTF8.GetBytes(x!), Encoding.UTF8.GetBytes(y!));
            return a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.AsSpan().SequenceCompareTo(b);
        }
    }
}
