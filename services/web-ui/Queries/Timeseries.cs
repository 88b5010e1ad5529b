namespace LlmMonitor.WebUi.Queries;

public sealed record Timeseries(string Interval, string Metric, IReadOnlyList<TimeseriesPoint> Points);

public sealed record TimeseriesPoint(DateTimeOffset Timestamp, double Value);

public enum TimeseriesInterval
{
    Hour,
    Day,
}

public enum TimeseriesMetric
{
    Requests,
    Cost,
    Latency,
    LatencyP50,
    LatencyP95,
    LatencyP99,
    Errors,
    Tokens,
}

/// <summary>A time series request: whole UTC buckets from the one holding Start to the one holding End.</summary>
public sealed record TimeseriesRequest(DateTimeOffset Start, DateTimeOffset End, TimeseriesInterval Interval, TimeseriesMetric Metric, string? Model)
{
    public (DateTimeOffset From, DateTimeOffset To) Buckets => Interval == TimeseriesInterval.Day
        ? (TimeWindow.FloorDay(Start), TimeWindow.CeilDay(End))
        : (TimeWindow.FloorHour(Start), TimeWindow.CeilHour(End));
}

public static class TimeseriesNames
{
    private static readonly Dictionary<string, TimeseriesMetric> Metrics = new(StringComparer.OrdinalIgnoreCase)
    {
        ["requests"] = TimeseriesMetric.Requests,
        ["cost"] = TimeseriesMetric.Cost,
        ["latency"] = TimeseriesMetric.Latency,
        ["latency_p50"] = TimeseriesMetric.LatencyP50,
        ["latency_p95"] = TimeseriesMetric.LatencyP95,
        ["latency_p99"] = TimeseriesMetric.LatencyP99,
        ["errors"] = TimeseriesMetric.Errors,
        ["tokens"] = TimeseriesMetric.Tokens,
    };

    public static IEnumerable<string> MetricNames => Metrics.Keys;

    public static bool TryParseMetric(string? text, out TimeseriesMetric metric) => Metrics.TryGetValue(text ?? "requests", out metric);

    public static bool TryParseInterval(string? text, out TimeseriesInterval interval)
    {
        interval = text is "1d" ? TimeseriesInterval.Day : TimeseriesInterval.Hour;
        return text is null or "1h" or "1d";
    }

    public static string Name(this TimeseriesMetric metric) => Metrics.First(m => m.Value == metric).Key;

    public static string Name(this TimeseriesInterval interval) => interval == TimeseriesInterval.Day ? "1d" : "1h";

    public static bool IsPercentile(this TimeseriesMetric metric) =>
        metric is TimeseriesMetric.LatencyP50 or TimeseriesMetric.LatencyP95 or TimeseriesMetric.LatencyP99;

    public static double Fraction(this TimeseriesMetric metric) => metric switch
    {
        TimeseriesMetric.LatencyP50 => 0.50,
        TimeseriesMetric.LatencyP95 => 0.95,
        _ => 0.99,
    };
}
