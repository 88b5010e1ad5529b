using System.Text.Json;
using LlmMonitor.Events;

namespace LlmMonitor.Benchmark;

/// <summary>Realistic calls: about 20 models, 2% errors, user_id among 1,000 users, feature among 10.</summary>
public sealed class SyntheticEvents(int seed, string provider)
{
    private static readonly string[] Models =
    [
        "gpt-4o", "gpt-4o-mini", "gpt-4o-2024-08-06", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4", "gpt-4-turbo",
        "o1", "o3", "o3-mini", "o4-mini", "claude-3-5-sonnet-20241022", "claude-3-7-sonnet", "claude-sonnet-4-20250514",
        "claude-opus-4", "claude-3-5-haiku", "claude-haiku-4-5", "llama-3.1-70b", "mistral-large",
    ];

    private static readonly string[] Features =
        ["chat", "search", "summarise", "classify", "extract", "translate", "agent", "autocomplete", "rerank", "moderation"];

    private readonly Random _random = new(seed);

    public EventInput Next(DateTimeOffset around)
    {
        var prompt = _random.Next(20, 4000);
        var error = _random.NextDouble() < 0.02;
        return new EventInput
        {
            EventId = Guid.CreateVersion7(),
            Timestamp = around.AddMilliseconds(-_random.Next(0, 60_000)),
            Model = Models[_random.Next(Models.Length)],
            Provider = provider,
            PromptTokens = prompt,
            CompletionTokens = error ? 0 : _random.Next(1, 1200),
            CachedTokens = _random.NextDouble() < 0.3 ? _random.Next(0, prompt) : null,
            LatencyMs = Math.Round(Math.Exp(6.5 + _random.NextDouble() * 2.2), 2),
            Status = error ? EventStatus.Error : EventStatus.Success,
            ErrorMessage = error ? "rate_limit_exceeded: please retry" : null,
            Tags = new Dictionary<string, string>
            {
                ["user_id"] = $"user-{_random.Next(1000):D4}",
                ["feature"] = Features[_random.Next(Features.Length)],
            },
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
