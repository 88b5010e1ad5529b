using LlmMonitor.BenchData;
using System.Diagnostics;
using LlmMonitor.Storage;
using Npgsql;

namespace LlmMonitor.QueryBenchmark;

/// <summary>Loads synthetic events through the writer's COPY path (EventCopyWriter) into a database of the benchmark's own.</summary>
public static class Seeder
{
    public static async Task RunAsync(string serverConnectionString, string database, long events, int days, bool fresh)
    {
        await CreateDatabaseAsync(serverConnectionString, database, fresh);
        var connectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = database }.ConnectionString;
        await using var db = MonitorDatabase.Create(connectionString);
        await new SchemaMigrator(db).MigrateAsync();
        await new PriceStore(db).SeedBuiltInAsync();
        var writer = new EventCopyWriter(db, new Partitions(db));
        // Resumable: events already stored (an earlier, interrupted run) are not generated again.
        await using var stored = db.CreateCommand("SELECT count(*) FROM llm_events");
        var skip = (long)(await stored.ExecuteScalarAsync())!;
        var now = DateTimeOffset.UtcNow;
        var batches = new SyntheticCalls(2026).Between(now.AddDays(-days), now, events).Skip((int)Math.Min(skip, events)).Chunk(20_000);
        Console.WriteLine($"seeding {Math.Max(0, events - skip):N0} events ({skip:N0} already stored)");
        var stopwatch = Stopwatch.StartNew();
        long written = 0;
        var reportEvery = Math.Max(events / 20, 1);
        long nextReport = reportEvery;
        // Two writers, as the writer service runs; batches in time order, as traffic arrives.
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
        Console.WriteLine($"seeded {written:N0} events over {days} days in {stopwatch.Elapsed.TotalSeconds:N0} s ({written / stopwatch.Elapsed.TotalSeconds:N0}/s)");
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

    private static async Task CreateDatabaseAsync(string serverConnectionString, string database, bool fresh)
    {
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "postgres" }.ConnectionString);
        await admin.OpenAsync();
        if (fresh)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", admin) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync() is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
    }
}
