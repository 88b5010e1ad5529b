using System.Net.Http.Headers;
using System.Runtime;

namespace LlmMonitor.Benchmark;

/// <summary>(b) Single-event POSTs at a fixed rate (open loop: a slow answer does not slow the sender).</summary>
public static class SingleEventLatency
{
    public static async Task<(double P50, double P99, int Errors)> RunAsync(HttpClient http, IReadOnlyList<byte[]> bodies, int perSecond)
    {
        var errors = 0;

        async Task PostAsync(int index)
        {
            using var content = new ByteArrayContent(bodies[index]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync("/api/events", content);
            if ((int)response.StatusCode != 202)
            {
                Interlocked.Increment(ref errors);
            }
        }

        // The client's own garbage (the other parts' events, hundreds of MB) must not pause it mid-measurement.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var mode = GCSettings.LatencyMode;
        GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;
        var latencies = await OpenLoop.RunAsync(bodies.Count, perSecond, PostAsync);
        GCSettings.LatencyMode = mode;
        Console.WriteLine($"    (over 5 ms: {latencies.Count(l => l > 5)}, over 10 ms: {latencies.Count(l => l > 10)}, over 20 ms: {latencies.Count(l => l > 20)} of {latencies.Length}; max {latencies.Max():F1} ms)");
        var (p50, p99) = Percentiles.MedianAndP99(latencies);
        return (p50, p99, errors);
    }
}
