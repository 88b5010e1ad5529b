using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Npgsql;

namespace LlmMonitor.Benchmark;

/// <summary>(a) Batch POSTs over several connections, from the first request to the last row visible in llm_events.</summary>
public static class EndToEnd
{
    /// <param name="events">How many rows of <paramref name="provider"/> to wait for, counting those stored before.</param>
    public static async Task<double> RunAsync(HttpClient http, NpgsqlDataSource db, IReadOnlyList<byte[]> bodies, int events, int connections, string provider,
        bool quiet = false)
    {
        var before = await StoredAsync(db, provider);
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        var senders = Enumerable.Range(0, connections).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Count)
            {
                await PostAsync(http, bodies[i]);
            }
        }).ToList();

        await Task.WhenAll(senders);
        var sent = stopwatch.Elapsed;
        long stored;
        while ((stored = await StoredAsync(db, provider)) < events)
        {
            await Task.Delay(20);
        }

        var elapsed = stopwatch.Elapsed;
        if (!quiet)
        {
            Console.WriteLine($"    all {bodies.Count} batch POSTs answered after {sent.TotalSeconds:F2} s; {stored:N0} rows visible after {elapsed.TotalSeconds:F2} s");
        }

        return (events - before) / elapsed.TotalSeconds;
    }

    private static async Task PostAsync(HttpClient http, byte[] body)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync("/api/events/batch", content);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return;
            }

            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt > 20)
            {
                throw new InvalidOperationException($"batch POST answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(500);
        }
    }

    /// <summary>Rows of this run, read from the rollup that commits with them (cheaper than counting llm_events).</summary>
    public static async Task<long> StoredAsync(NpgsqlDataSource db, string provider)
    {
        await using var cmd = db.CreateCommand("SELECT coalesce(sum(request_count), 0) FROM llm_rollup_hourly WHERE provider = $1");
        cmd.Parameters.AddWithValue(provider);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
