using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Npgsql;

namespace LlmMonitor.Benchmark;

/// <summary>(a) Batch POSTs over several connections, from the first request to the last row visible in llm_events.</summary>
public static class EndToEnd
{
    /// <summary>Sends <paramref name="bodies"/> (batches of events tagged <paramref name="marker"/>, <paramref name="events"/> in all) and
    /// waits until all of them are stored; events/s from the first request to the last row visible.</summary>
    public static async Task<double> RunAsync(HttpClient http, NpgsqlDataSource db, IReadOnlyList<byte[]> bodies, int events, int connections, string marker,
        bool quiet = false)
    {
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
        long stored, seen = -1;
        var progressAt = stopwatch.Elapsed;
        while ((stored = await StoredAsync(db, marker)) < events)
        {
            if (stored != seen)
            {
                (seen, progressAt) = (stored, stopwatch.Elapsed);
            }
            else if (stopwatch.Elapsed - progressAt > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"{stored:N0} of {events:N0} rows of {marker} stored, none more for 60 s: is the writer running on this database and broker?");
            }

            await Task.Delay(20);
        }

        var elapsed = stopwatch.Elapsed;
        if (!quiet)
        {
            Console.WriteLine($"    all {bodies.Count} batch POSTs answered after {sent.TotalSeconds:F2} s; {stored:N0} rows visible after {elapsed.TotalSeconds:F2} s");
        }

        return events / elapsed.TotalSeconds;
    }

    /// <summary>One call as a batch of one, with the id given and tagged with <paramref name="marker"/> (deleted after the run).</summary>
    public static Task PostOneAsync(HttpClient http, Guid id, string marker) => PostAsync(http, System.Text.Encoding.UTF8.GetBytes(
        $$$"""[{"event_id":"{{{id}}}","model":"gpt-4o-mini","provider":"openai","prompt_tokens":10,"completion_tokens":5,"latency_ms":100,"tags":{"bench_run":"{{{marker}}}"}}]"""));

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

    /// <summary>
    /// Rows tagged <paramref name="marker"/>, read from the tag rollup, which the writer updates in the transaction
    /// that stores the rows: exact, and a few index entries to read (only benchmark runs have the tag key
    /// bench_run) however large llm_events is, so it can be polled every 20 ms.
    /// </summary>
    public static async Task<long> StoredAsync(NpgsqlDataSource db, string marker)
    {
        await using var cmd = db.CreateCommand(
            $"SELECT coalesce(sum(request_count), 0) FROM llm_rollup_hourly_tags WHERE tag_key = '{SyntheticEvents.MarkerTag}' AND tag_value = $1");
        cmd.Parameters.AddWithValue(marker);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    /// <summary>
    /// The same count from llm_events itself (once, after a measurement, as a check of the rollup's): the rows of
    /// the time range the part's events fall in, through the primary key, whose tags carry the marker.
    /// </summary>
    public static async Task<long> CountEventsAsync(NpgsqlDataSource db, string marker, DateTimeOffset from)
    {
        await using var cmd = db.CreateCommand(
            $"SELECT count(*) FROM llm_events WHERE timestamp >= $1 AND tags @> jsonb_build_object('{SyntheticEvents.MarkerTag}', $2::text)");
        cmd.Parameters.AddWithValue(from);
        cmd.Parameters.AddWithValue(marker);
        cmd.CommandTimeout = 600;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
