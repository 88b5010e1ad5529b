using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Storage.Reads;

namespace LlmMonitor.Alerts.Reads;

/// <summary>
/// Sorts one evaluation's rules by how their filter can be read. Windows end at the same minute (<see cref="Now"/>), so
/// filters read the same way share one statement, whatever their windows.
/// </summary>
public sealed class RulePlan
{
    public RulePlan(DateTimeOffset now, IEnumerable<AlertRule> rules)
    {
        Now = now;
        foreach (var rule in rules)
        {
            var window = Window(now, rule.Definition.WindowMinutes);
            var latency = rule.Definition.Metric == AlertMetric.P95LatencyMs;
            var filter = rule.Filter;
            var set = (filter.Tag, filter.Model, latency) switch
            {
                (null, _, false) => UsageByModel,
                (null, _, true) => LatencyByModel,
                (_, null, false) => UsageByTag,
                (_, _, false) => UsageRaw,
                _ => LatencyRaw,
            };
            set.Add(filter, window);
        }
    }

    public DateTimeOffset Now { get; }

    /// <summary>No tag: llm_rollup_hourly (by model) and the edges.</summary>
    public WindowSet UsageByModel { get; } = new();

    /// <summary>A tag alone: llm_rollup_hourly_tags and the edges.</summary>
    public WindowSet UsageByTag { get; } = new();

    /// <summary>A model and a tag: the tag rollups have no model, so llm_events over the whole window.</summary>
    public WindowSet UsageRaw { get; } = new();

    /// <summary>p95 without a tag: llm_rollup_hourly_histogram (by model, and '' for all) and the edges.</summary>
    public WindowSet LatencyByModel { get; } = new();

    /// <summary>p95 with a tag: there are no histograms per tag, so llm_events over the whole window.</summary>
    public WindowSet LatencyRaw { get; } = new();

    /// <summary>The window a rule looks back over, ending at <paramref name="now"/>.</summary>
    public static TimeWindow Window(DateTimeOffset now, int minutes) => new(now.AddMinutes(-minutes), now);
}
