using LlmMonitor.Metrics;

namespace LlmMonitor.UnitTests.Metrics;

public class LatencyHistogramTests
{
    [Fact]
    public void Representative_is_within_3_percent_from_0_2_ms_to_10_minutes()
    {
        var checkedValues = 0;
        for (var ms = 0.2; ms <= 600_000; ms *= 1.003)
        {
            var back = LatencyHistogram.Representative(LatencyHistogram.Bucket(ms));
            Assert.True(Math.Abs(back - ms) / ms <= 0.03, $"{ms} ms came back as {back} ms");
            checkedValues++;
        }

        Assert.True(checkedValues > 4000);
    }

    [Fact]
    public void Buckets_grow_with_latency()
    {
        var previous = 0;
        for (var ms = 0.0; ms <= 600_000; ms = ms * 1.01 + 0.01)
        {
            var bucket = LatencyHistogram.Bucket(ms);
            Assert.True(bucket >= previous, $"{ms} ms fell into bucket {bucket} after {previous}");
            previous = bucket;
        }
    }

    [Fact]
    public void Tiny_latencies_fall_into_bucket_zero()
    {
        Assert.Equal(0, LatencyHistogram.Bucket(0));
        Assert.Equal(0, LatencyHistogram.Bucket(0.099));
        Assert.Equal(1, LatencyHistogram.Bucket(0.1));
    }

    [Fact]
    public void Empty_histogram_has_no_percentile() =>
        Assert.Null(LatencyHistogram.Percentile([], 0.5));

    [Fact]
    public void Histogram_of_zero_counts_has_no_percentile() =>
        Assert.Null(LatencyHistogram.Percentile([(5, 0)], 0.5));

    [Theory]
    [InlineData(0.50)]
    [InlineData(0.95)]
    [InlineData(0.99)]
    public void Percentile_of_log_normal_sample_is_within_5_percent_of_nearest_rank(double fraction)
    {
        var random = new Random(20250615);
        var sample = new double[100_000];
        for (var i = 0; i < sample.Length; i++)
        {
            // Box–Muller: a standard normal, then a log-normal around 800 ms.
            var z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            sample[i] = Math.Exp(Math.Log(800) + 1.2 * z);
        }

        var histogram = sample
            .GroupBy(LatencyHistogram.Bucket)
            .Select(g => (g.Key, (long)g.Count()))
            .ToList();
        Array.Sort(sample);
        var exact = sample[(int)Math.Ceiling(fraction * sample.Length) - 1];

        var estimate = LatencyHistogram.Percentile(histogram, fraction);

        Assert.NotNull(estimate);
        Assert.True(Math.Abs(estimate.Value - exact) / exact <= 0.05, $"p{fraction * 100}: exact {exact}, histogram {estimate}");
    }

    [Fact]
    public void Percentile_is_nearest_rank()
    {
        // Ten values: 1 in bucket 10, 8 in bucket 20, 1 in bucket 30.
        IReadOnlyList<(int, long)> histogram = [(30, 1), (10, 1), (20, 8)];
        Assert.Equal(LatencyHistogram.Representative(10), LatencyHistogram.Percentile(histogram, 0.0));
        Assert.Equal(LatencyHistogram.Representative(10), LatencyHistogram.Percentile(histogram, 0.1));
        Assert.Equal(LatencyHistogram.Representative(20), LatencyHistogram.Percentile(histogram, 0.11));
        Assert.Equal(LatencyHistogram.Representative(20), LatencyHistogram.Percentile(histogram, 0.9));
        Assert.Equal(LatencyHistogram.Representative(30), LatencyHistogram.Percentile(histogram, 0.95));
        Assert.Equal(LatencyHistogram.Representative(30), LatencyHistogram.Percentile(histogram, 1.0));
    }
}
