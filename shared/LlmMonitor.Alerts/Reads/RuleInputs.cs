using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Metrics;
using LlmMonitor.Storage.Reads;

namespace LlmMonitor.Alerts.Reads;

/// <summary>What one evaluation read, by filter; every rule's value is added up from it.</summary>
public sealed class RuleInputs(DateTimeOffset now, IReadOnlyDictionary<RuleFilter, Series<Usage>> usage,
    IReadOnlyDictionary<RuleFilter, Series<HistogramSum>> latency, int statements)
{
    public DateTimeOffset Now => now;

    /// <summary>How many SQL statements the read took.</summary>
    public int Statements => statements;

    /// <summary>The rule's metric over its window; null for a rate or percentile without requests (latencies) in it.</summary>
    public double? Value(AlertRule rule)
    {
        var window = RulePlan.Window(now, rule.Definition.WindowMinutes);
        if (rule.Definition.Metric == AlertMetric.P95LatencyMs)
        {
            return LatencyHistogram.Percentile(latency[rule.Filter].Sum(window).Buckets, 0.95);
        }

        var sum = usage[rule.Filter].Sum(window);
        return rule.Definition.Metric switch
        {
            AlertMetric.ErrorRate => sum.ErrorRate,
            AlertMetric.CostUsd => (double)sum.Cost,
            AlertMetric.Requests => sum.Requests,
            _ => sum.Tokens,
        };
    }
}
