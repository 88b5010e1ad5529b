using System.Globalization;

namespace LlmMonitor.Alerts.Definitions;

/// <summary>What a rule watches over its window. <see cref="ErrorRate"/> is a percent, like the overview's.</summary>
public enum AlertMetric
{
    ErrorRate,
    CostUsd,
    P95LatencyMs,
    Requests,
    TotalTokens,
}

public static class AlertMetrics
{
    private static readonly Dictionary<AlertMetric, string> Names = new()
    {
        [AlertMetric.ErrorRate] = "error_rate",
        [AlertMetric.CostUsd] = "cost_usd",
        [AlertMetric.P95LatencyMs] = "p95_latency_ms",
        [AlertMetric.Requests] = "requests",
        [AlertMetric.TotalTokens] = "total_tokens",
    };

    public static IReadOnlyCollection<string> AllNames => Names.Values;

    public static string Name(this AlertMetric metric) => Names[metric];

    public static bool TryParse(string? name, out AlertMetric metric)
    {
        foreach (var (m, n) in Names)
        {
            if (n == name)
            {
                metric = m;
                return true;
            }
        }

        metric = default;
        return false;
    }

    /// <summary>A value as a message shows it: "12.5%", "$3.20", "840 ms", "1,200".</summary>
    public static string Format(this AlertMetric metric, double value) => metric switch
    {
        AlertMetric.ErrorRate => value.ToString("0.##", CultureInfo.InvariantCulture) + "%",
        AlertMetric.CostUsd => "$" + value.ToString("#,0.00##", CultureInfo.InvariantCulture),
        AlertMetric.P95LatencyMs => value.ToString("#,0", CultureInfo.InvariantCulture) + " ms",
        _ => value.ToString("#,0.##", CultureInfo.InvariantCulture),
    };
}
