using System.Diagnostics;
using LlmMonitor.Storage;
using Npgsql;

namespace LlmMonitor.BenchData;

/// <summary>
/// Loads synthetic history through the writer's COPY path (EventCopyWriter), so that the rollups agree with the
/// events exactly as in production. Shared by the query benchmark (its seed command) and the ingest benchmark (the
/// history its measurements run on).
/// </summary>
public static class HistorySeeder
{
    /// <summary>
    /// Writes <paramref name="count"/> events spread evenly over [<paramref name="from"/>, <paramref name="to"/>),
    /// oldest first, in batches of 20,000 on two connections (as the writer service runs), then vacuums and
    /// analyses the database so that autovacuum does not start on the new rows later. The first
    /// <paramref name="skip"/> events of the sequence are not written (resuming an interrupted seed).
    /// </summary>
    public static async Task SeedAsync(NpgsqlDataSource db, DateTimeOffset from, DateTimeOffset to, long count, long skip = 0, int seed = 2026)
    {
        // Not announced to live views: history is no live traffic.
        var writer = new EventCopyWriter(db, new Partitions(db), announce: false);
        var batches = new SyntheticCalls(seed).Between(from, to, count).Skip((int)Math.Min(skip, count)).Chunk(20_000);
        var stopwatch = Stopwatch.StartNew();
        long written = 0;
        var reportEvery = Math.Max(count / 20, 1);
        long nextReport = reportEvery;
        // Batches in time order, as traffic arrives.
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (batch, ct) =>
        {
            await WriteWithRetryAsync(writer, batch, ct);
            var total = Interlocked.Add(ref written, batch.Length);
            if (total >= Interlocked.Read(ref nextReport))
            {
                Interlocked.Add(ref nextReport, reportEvery);
                Console.WriteLine($"  {total:N0} events, {total / stopwatch.Elapsed.TotalSeconds:N0}/s");
            }
        });
        Console.WriteLine($"seeded {written:N0} events between {from:yyyy-MM-dd HH:mm} and {to:yyyy-MM-dd HH:mm} UTC in {stopwatch.Elapsed.TotalSeconds:N0} s ({written / stopwatch.Elapsed.TotalSeconds:N0}/s)");
        stopwatch.Restart();
        await using var analyze = db.CreateCommand("VACUUM (ANALYZE)");
        analyze.CommandTimeout = 0;
        await analyze.ExecuteNonQueryAsync();
        Console.WriteLine($"VACUUM ANALYZE took {stopwatch.Elapsed.TotalSeconds:N0} s");
    }

    /// <summary>A batch is one transaction, and a repeat is harmless (event_id): retry through database restarts.</summary>
    private static async Task WriteWithRetryAsync(EventCopyWriter writer, EventRow[] batch, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await writer.WriteAsync(batch, ct);
                return;
            }
            catch (Exception e) when (e is NpgsqlException && attempt < 60)
            {
                Console.WriteLine($"  batch failed ({e.Message}); retrying in 5 s");
                await Task.Delay(TimeSpan.FromSeconds(5), ct);
            }
        }
    }
}
