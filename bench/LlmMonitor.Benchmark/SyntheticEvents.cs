using System.Text.Json;
using LlmMonitor.BenchData;
using LlmMonitor.Events;

namespace LlmMonitor.Benchmark;

/// <summary>The fields a client sends; every shape carries the run's marker tag.</summary>
public enum EventShape
{
    /// <summary>Every field of the contract, event_id and timestamp included (what the SDKs send): most calls in a trace and session.</summary>
    WithTimestamp,

    /// <summary>The same without timestamp: the server stamps the receive time, and dedup must go by event_id alone.</summary>
    WithoutTimestamp,

    /// <summary>The README's curl shape: model, prompt_tokens, completion_tokens, latency_ms (no event_id, no timestamp).</summary>
    Bare,
}

/// <summary>
/// The benchmark's calls as a client sends them: the shared synthetic calls without a cost (the writer prices
/// them), in one of the <see cref="EventShape"/>s, each tagged <c>bench_run</c> = <paramref name="marker"/> so that a
/// part's rows can be counted (from the tag rollup) and deleted (the clean-up) whatever their timestamp.
/// </summary>
public sealed class SyntheticEvents(int seed, EventShape shape, string marker)
{
    public const string MarkerTag = "bench_run";

    private readonly SyntheticCalls _calls = new(seed);

    public string Marker => marker;

    public EventInput Next(DateTimeOffset at)
    {
        var e = _calls.Next(at);
        if (shape == EventShape.Bare)
        {
            return new EventInput
            {
                Model = e.Model,
                PromptTokens = e.PromptTokens,
                CompletionTokens = e.CompletionTokens,
                LatencyMs = e.LatencyMs,
                Tags = new Dictionary<string, string> { [MarkerTag] = marker },
            };
        }

        return new EventInput
        {
            EventId = e.EventId,
            Timestamp = shape == EventShape.WithTimestamp ? e.Timestamp : null,
            Model = e.Model,
            Provider = e.Provider,
            PromptTokens = e.PromptTokens,
            CompletionTokens = e.CompletionTokens,
            CachedTokens = e.CachedTokens,
            CacheWriteTokens = e.CacheWriteTokens,
            ReasoningTokens = e.ReasoningTokens,
            LatencyMs = e.LatencyMs,
            TraceId = e.TraceId,
            SpanId = e.SpanId,
            ParentSpanId = e.ParentSpanId,
            SessionId = e.SessionId,
            UserId = e.UserId,
            Status = e.Status,
            ErrorMessage = e.ErrorMessage,
            Tags = new Dictionary<string, string>(e.Tags) { [MarkerTag] = marker },
            Input = e.Input,
            Output = e.Output,
        };
    }

    /// <summary><paramref name="events"/> events as JSON arrays of 1,000, timestamps (where sent) spread over the minute before <paramref name="now"/>.</summary>
    public List<byte[]> Batches(int events, DateTimeOffset now) =>
        Enumerable.Range(0, events).Select(i => Next(now.AddMilliseconds(-(i % 60_000)))).Chunk(1000).Select(ToJsonArray).ToList();

    public static byte[] ToJsonArray(IEnumerable<EventInput> events)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var e in events)
            {
                EventJsonWriter.Write(writer, e);
            }

            writer.WriteEndArray();
        }

        return buffer.ToArray();
    }
}
