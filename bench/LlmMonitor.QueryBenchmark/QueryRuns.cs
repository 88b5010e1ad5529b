using System.Diagnostics;
using System.Net;

namespace LlmMonitor.QueryBenchmark;

/// <summary>
/// Times the read API and the dashboard's pages over HTTP on loopback (so the figures include serialisation):
/// 3 warm-up runs, then p50/p95 of <c>runs</c> runs of each request (<see cref="QueryCases"/>). With a second web-ui
/// (<c>--against</c>, another build on the same database) each run asks both, in turns that alternate which goes
/// first, so that both see the same minutes of a machine whose speed drifts by more than most changes.
/// </summary>
public static class QueryRuns
{
    private const int WarmUps = 3;

    public static async Task RunAsync(Uri webUi, Uri? against, int runs)
    {
        using var http = Client(webUi);
        using var other = against is null ? null : Client(against);
        HttpClient[] clients = other is null ? [http] : [http, other];
        var sample = await QuerySample.PickAsync(http, runs + WarmUps);
        Console.WriteLine($"{sample.SessionIds.Count} sessions and {sample.TraceIds.Count} traces to open, user {sample.UserId}");

        var failed = 0;
        string? group = null;
        Console.WriteLine($"{"request",-44} {"p50 ms",8} {"p95 ms",8} {"target",8}{(other is null ? "" : $"  {"against:",-8} {"p50 ms",8} {"p95 ms",8}")}");
        foreach (var query in QueryCases.All(sample))
        {
            if (query.Group != group)
            {
                group = query.Group;
                Console.WriteLine($"-- {group}");
            }

            var (times, status) = await TimeAsync(clients, query, runs);
            if (times is null)
            {
                var missing = status == HttpStatusCode.NotFound && query.MayBeMissing;
                failed += missing ? 0 : 1;
                Console.WriteLine($"{query.Name,-44} {(missing ? "n/a (404)" : $"FAILED (HTTP {(int)status})"),17} {"≤ " + query.TargetP95Ms,8}");
                continue;
            }

            var verdict = P(times[0], 0.95) <= query.TargetP95Ms ? "ok" : "OVER";
            var compared = times.Count > 1 ? $"  {"",-8} {P(times[1], 0.5),8:F1} {P(times[1], 0.95),8:F1}" : "";
            Console.WriteLine($"{query.Name,-44} {P(times[0], 0.5),8:F1} {P(times[0], 0.95),8:F1} {"≤ " + query.TargetP95Ms,8} {verdict,-4}{compared}");
        }

        if (failed > 0)
        {
            Console.WriteLine($"{failed} request(s) failed");
            Environment.ExitCode = 1;
        }
    }

    private static HttpClient Client(Uri webUi) => new() { BaseAddress = webUi, Timeout = TimeSpan.FromMinutes(2) };

    private static double P(List<double> sorted, double f) => sorted[Math.Max(0, (int)Math.Ceiling(f * sorted.Count) - 1)];

    /// <summary>
    /// The sorted times of the counted runs, per client, or null and the status of the first answer that was not a
    /// success. Run i asks the clients in turn, starting with client i mod n.
    /// </summary>
    private static async Task<(List<List<double>>? Times, HttpStatusCode Status)> TimeAsync(HttpClient[] clients, QueryCase query, int runs)
    {
        var times = clients.Select(_ => new List<double>()).ToList();
        for (var i = 0; i < runs + WarmUps; i++)
        {
            for (var turn = 0; turn < clients.Length; turn++)
            {
                var c = (i + turn) % clients.Length;
                var stopwatch = Stopwatch.StartNew();
                using var response = await clients[c].GetAsync(query.Url(i));
                await response.Content.ReadAsByteArrayAsync();
                if (!response.IsSuccessStatusCode)
                {
                    return (null, response.StatusCode);
                }

                if (i >= WarmUps)
                {
                    times[c].Add(stopwatch.Elapsed.TotalMilliseconds);
                }
            }
        }

        times.ForEach(t => t.Sort());
        return (times, HttpStatusCode.OK);
    }
}
