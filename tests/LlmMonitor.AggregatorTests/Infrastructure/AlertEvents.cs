using LlmMonitor.Events;
using LlmMonitor.Storage;

namespace LlmMonitor.AggregatorTests.Infrastructure;

/// <summary>Calls shaped for alert and budget tests: a model, a user (as the tag user_id), a status, a cost and a latency.</summary>
public static class AlertEvents
{
    public static EventRow Call(DateTimeOffset at, string model = "acme-chat", string? user = null, bool error = false, decimal? cost = 0.01m,
        double? latencyMs = 500, long tokens = 100, string? feature = null)
    {
        var tags = new Dictionary<string, string>();
        if (user is not null)
        {
            tags["user_id"] = user;
        }

        if (feature is not null)
        {
            tags["feature"] = feature;
        }

        var e = new LlmEvent(Guid.NewGuid(), at, model, ProviderInference.Infer(model), (int)(tokens / 2), (int)(tokens - tokens / 2), tokens, 0, 0, 0,
            latencyMs, cost, cost is null ? CostSource.Catalogue : CostSource.Client, null, null, null, null, user,
            error ? EventStatus.Error : EventStatus.Success, error ? "boom" : null, tags, null, null);
        return new EventRow(e, false);
    }

    /// <summary><paramref name="count"/> calls from <paramref name="from"/> on, <paramref name="every"/> apart.</summary>
    public static IEnumerable<EventRow> Every(DateTimeOffset from, TimeSpan every, int count, Func<DateTimeOffset, EventRow> call) =>
        Enumerable.Range(0, count).Select(i => call(from + every * i));
}
