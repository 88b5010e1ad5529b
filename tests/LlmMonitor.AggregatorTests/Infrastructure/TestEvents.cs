using LlmMonitor.Events;
using LlmMonitor.Pricing;
using LlmMonitor.Storage;

namespace LlmMonitor.AggregatorTests.Infrastructure;

/// <summary>Events as the writer stores them: catalogue-priced with the price book it had, or client-priced.</summary>
public static class TestEvents
{
    private static readonly string[] Users = ["u1", "u2", "u3"];
    private static readonly string[] Features = ["chat", "search"];

    public static EventRow Catalogue(PriceBook book, string model, DateTimeOffset at, int seed) =>
        Row(model, at, seed, e => e with { CostUsd = book.Cost(e) });

    public static EventRow Client(string model, DateTimeOffset at, int seed, decimal cost) =>
        Row(model, at, seed, e => e with { CostUsd = cost, CostSource = CostSource.Client });

    /// <summary><paramref name="count"/> events of <paramref name="model"/> spread over [from, from + span).</summary>
    public static IEnumerable<EventRow> Spread(PriceBook book, string model, DateTimeOffset from, TimeSpan span, int count, int seed = 0) =>
        Enumerable.Range(0, count).Select(i => Catalogue(book, model, from + span * i / count, seed + i));

    // Latency kept to the microsecond, as the validator keeps it. Cache reads and writes, reasoning, and the trace,
    // session and user ids in varying mixes.
    private static EventRow Row(string model, DateTimeOffset at, int seed, Func<LlmEvent, LlmEvent> price)
    {
        var prompt = 100 + (seed * 37 % 4000);
        var cached = seed % 3 == 0 ? prompt / 4 : 0;
        var cacheWrite = seed % 4 == 1 ? prompt / 3 : 0;
        var completion = 20 + (seed * 53 % 900);
        var reasoning = seed % 5 == 2 ? completion / 2 : 0;
        var traced = seed % 2 == 0;
        var e = new LlmEvent(
            Guid.NewGuid(), at, model, ProviderInference.Infer(model), prompt, completion, prompt + completion, cached, cacheWrite, reasoning,
            seed % 11 == 0 ? null : Math.Round(50 + (seed * 7.3 % 3000), 3), null, CostSource.Catalogue,
            traced ? $"trace-{seed / 4}" : null, traced ? $"span-{seed}" : null, traced && seed % 4 != 0 ? $"span-{seed / 4 * 4}" : null,
            seed % 7 == 0 ? null : $"session-{seed % 13}-{at:MMdd}", Users[seed % 3],
            seed % 9 == 0 ? EventStatus.Error : EventStatus.Success, seed % 9 == 0 ? "rate limited" : null,
            seed % 5 == 0 ? new Dictionary<string, string>() : new Dictionary<string, string> { ["user_id"] = Users[seed % 3], ["feature"] = Features[seed % 2] },
            null, null);
        return new EventRow(price(e), false);
    }
}
