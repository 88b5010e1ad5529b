namespace LlmMonitor.Benchmark;

public static class Percentiles
{
    /// <summary>Sorts <paramref name="values"/> in place and gives their median and 99th percentile.</summary>
    public static (double P50, double P99) MedianAndP99(double[] values)
    {
        Array.Sort(values);
        return (Of(values, 0.50), Of(values, 0.99));
    }

    public static double Of(IReadOnlyList<double> sorted, double fraction) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
}
