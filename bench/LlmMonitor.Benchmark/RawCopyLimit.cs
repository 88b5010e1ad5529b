using System.Diagnostics;
using LlmMonitor.Storage;
using Npgsql;

namespace LlmMonitor.Benchmark;

/// <summary>
/// (c) The database's own limit: the same rows through the writer's COPY path (staging, dedup, rollups)
/// into a scratch copy of the schema, with the writer's batch size and concurrency.
/// </summary>
public static class RawCopyLimit
{
    public const string Schema = "bench_scratch";

    public static async Task<double> RunAsync(string connectionString, IReadOnlyList<EventRow> rows, int batchRows, int concurrency)
    {
        await using (var admin = NpgsqlDataSource.Create(connectionString))
        {
            await using var reset = admin.CreateCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE; CREATE SCHEMA {Schema}");
            await reset.ExecuteNonQueryAsync();
        }

        await using var db = MonitorDatabase.Create(connectionString, Schema);
        await new SchemaMigrator(db).MigrateAsync();
        var writer = new EventCopyWriter(db, new Partitions(db));
        var batches = rows.Chunk(batchRows).ToList();
        await writer.WriteAsync(batches[0]); // warm-up: partitions and connections; counted in the total below
        var next = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < batches.Count)
            {
                await writer.WriteAsync(batches[i]);
            }
        }));
        var rate = (rows.Count - batches[0].Length) / stopwatch.Elapsed.TotalSeconds;

        await using var drop = db.CreateCommand($"DROP SCHEMA {Schema} CASCADE");
        await drop.ExecuteNonQueryAsync();
        return rate;
    }
}
