using System.Diagnostics;
using System.Net;

namespace LlmMonitor.QueryBenchmark;

/// <summary>
/// Times the read API and the dashboard's pages over HTTP on loopback (so the figures include serialisation):
/// 3 warm-up runs, then p50/p95 of <c>runs</c> runs of each request (<see cref="QueryCases"/>).
/// </summary>
public static class QueryRuns
{
    private const int WarmUps = 3;

    public static async Task RunAsync(Uri webUi, int runs)
    {
        using var http = new HttpClient { BaseAddress = webUi, Timeout = TimeSpan.FromMinutes(2) };
        var sample = await QuerySample.PickAsync(http, runs + WarmUps);
        Console.WriteLine($"{sample.SessionIds.Count} sessions and {sample.TraceIds.Count} traces to open, user {sample.UserId}");

        var failed = 0;
        string? group = null;
        Console.WriteLine($"{"request",-44} {"p50 ms",8} {"p95 ms",8} {"target",8}");
        foreach (var query in QueryCases.All(sample))
        {
            if (query.Group != group)
            {
                group = query.Group;
                Console.WriteLine($"-- {group}");
            }

            var (times, status) = await TimeAsync(http, query, runs);
            if (times is null)
            {
                var missing = status == HttpStatusCode.NotFound && query.MayBeMissing;
                failed += missing ? 0 : 1;
                Console.WriteLine($"{query.Name,-44} {(missing ? "n/a (404)" : $"FAILED (HTTP {(int)status})"),17} {"≤ " + query.TargetP95Ms,8}");
                continue;
            }

            double P(double f) => times[Math.Max(0, (int)Math.Ceiling(f * times.Count) - 1)];
            var verdict = P(0.95) <= query.TargetP95Ms ? "ok" : "OVER";
            Console.WriteLine($"{query.Name,-44} {P(0.5),8:F1} {P(0.95),8:F1} {"≤ " + query.TargetP95Ms,8} {verdict}");
        }

        if (failed > 0)
        {
            Console.WriteLine($"{failed} request(s) failed");
            Environment.ExitCode = 1;
        }
    }

    /// <summary>The sorted times of the counted runs, or null and the status of the first answer that was not a success.</summary>
    private static async Task<(List<double>? Times, HttpStatusCode Status)> TimeAsync(HttpClient http, QueryCase query, int runs)
    {
        var times = new List<double>();
        for (var i = 0; i < runs + WarmUps; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            using var response = await http.GetAsync(query.Url(i));
            await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode)
            {
                return (null, response.StatusCode);
            }

            if (i >= WarmUps)
            {
                times.Add(stopwatch.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        return (times, HttpStatusCode.OK);
    }
}
