using System.Text.Json;
using LlmMonitor.BenchData;
using LlmMonitor.Events;

namespace LlmMonitor.Benchmark;

/// <summary>
/// The benchmark's calls as a client sends them: the shared synthetic calls without a cost (the writer
/// prices them) and with the run's id as provider, so that the run's rows can be counted from the rollup.
/// </summary>
public sealed class SyntheticEvents(int seed, string provider)
{
    private readonly SyntheticCalls _calls = new(seed);

    public EventInput Next(DateTimeOffset at)
    {
        var e = _calls.Next(at);
        return new EventInput
        {
            EventId = e.EventId,
            Timestamp = e.Timestamp,
            Model = e.Model,
            Provider = provider,
            PromptTokens = e.PromptTokens,
            CompletionTokens = e.CompletionTokens,
            CachedTokens = e.CachedTokens,
            LatencyMs = e.LatencyMs,
            Status = e.Status,
            ErrorMessage = e.ErrorMessage,
            Tags = new Dictionary<string, string>(e.Tags),
            Input = e.Input,
            Output = e.Output,
        };
    }

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
