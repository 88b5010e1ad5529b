namespace LlmMonitor.Metrics;

/// <summary>
/// The fixed log-scale latency buckets of the rollups (SQL twin: <c>llm_latency_bucket</c>).
/// Bucket 0 holds [0, 0.1 ms); bucket b ≥ 1 holds [0.1·1.06^(b−1), 0.1·1.06^b). A bucket is reported as
/// its geometric middle, so a percentile read from the histogram is within √1.06 − 1 ≈ 3% of the exact value.
/// </summary>
public static class LatencyHistogram
{
    public const double MinMs = 0.1;
    public const double Growth = 1.06;
    public const int MaxBucket = 32000;

    public static int Bucket(double latencyMs) =>
        latencyMs < MinMs ? 0 : Math.Min((int)Math.Floor(Math.Log(latencyMs / MinMs) / Math.Log(Growth)) + 1, MaxBucket);

    public static double Representative(int bucket) =>
        bucket == 0 ? MinMs / 2 : MinMs * Math.Pow(Growth, bucket - 1) * Math.Sqrt(Growth);

    /// <summary>The nearest-rank percentile (like SQL percentile_disc) of a histogram given as bucket → count.</summary>
    public static double? Percentile(IReadOnlyList<(int Bucket, long Count)> histogram, double fraction)
    {
        var total = histogram.Sum(h => h.Count);
        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(fraction * total));
        long seen = 0;
        foreach (var (bucket, count) in histogram.OrderBy(h => h.Bucket))
        {
            seen += count;
            if (seen >= rank)
            {
                return Representative(bucket);
            }
        }

        return Representative(histogram.Max(h => h.Bucket));
    }
}
