using System.Diagnostics;
using System.Globalization;

namespace LlmMonitor.QueryBenchmark;

/// <summary>
/// Times the read API and the dashboard page over HTTP on loopback (so the figures include serialisation):
/// 3 warm-up runs, then p50/p95 of 20 runs of each request.
/// </summary>
public static class QueryRuns
{
    public static async Task RunAsync(Uri webUi, int runs)
    {
        using var http = new HttpClient { BaseAddress = webUi, Timeout = TimeSpan.FromMinutes(2) };
        var monthAgo = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-30).ToString("O", CultureInfo.InvariantCulture));
        (string Name, string Url, double TargetMs)[] cases =
        [
            ("overview 24h", "api/metrics/overview?hours=24", 50),
            ("overview 30d", "api/metrics/overview?hours=720", 50),
            ("timeseries 30d hourly", $"api/metrics/timeseries?interval=1h&start_time={monthAgo}", 50),
            ("timeseries 30d daily", "api/metrics/timeseries?interval=1d", 50),
            ("timeseries 30d hourly p95 latency", $"api/metrics/timeseries?interval=1h&metric=latency_p95&start_time={monthAgo}", 50),
            ("conversations page 1", "api/conversations", 50),
            ("conversations by model", "api/conversations?model=gpt-4o", 50),
            ("conversations by tag", "api/conversations?tag=user_id:user-0042", 200),
            ("cost by tag 30d (user_id)", "api/metrics/tags?key=user_id&hours=720", 200),
            ("dashboard page 24h", "?range=24h", 150),
            ("dashboard page 30d", "?range=30d", 150),
        ];

        Console.WriteLine($"{"request",-36} {"p50 ms",8} {"p95 ms",8} {"target",8}");
        foreach (var (name, url, target) in cases)
        {
            var times = new List<double>();
            for (var i = 0; i < runs + 3; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                using var response = await http.GetAsync(url);
                await response.Content.ReadAsByteArrayAsync();
                response.EnsureSuccessStatusCode();
                if (i >= 3)
                {
                    times.Add(stopwatch.Elapsed.TotalMilliseconds);
                }
            }

            times.Sort();
            double P(double f) => times[Math.Max(0, (int)Math.Ceiling(f * times.Count) - 1)];
            var verdict = P(0.95) <= target ? "ok" : "OVER";
            Console.WriteLine($"{name,-36} {P(0.5),8:F1} {P(0.95),8:F1} {"≤ " + target,8} {verdict}");
        }
    }
}
