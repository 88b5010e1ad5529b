using LlmMonitor.Storage.Rollups;
using LlmMonitor.BenchData;
using LlmMonitor.Storage;
using Npgsql;

namespace LlmMonitor.QueryBenchmark;

/// <summary>Loads synthetic events through the writer's COPY path (<see cref="HistorySeeder"/>) into a database of the benchmark's own.</summary>
public static class Seeder
{
    public static async Task RunAsync(string serverConnectionString, string database, long events, int days, bool fresh)
    {
        await CreateDatabaseAsync(serverConnectionString, database, fresh);
        var connectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = database }.ConnectionString;
        await using var db = MonitorDatabase.Create(connectionString);
        await new SchemaMigrator(db).MigrateAsync();
        await new PriceStore(db).SeedBuiltInAsync();
        // Resumable: events already stored (an earlier, interrupted run) are not generated again.
        await using var stored = db.CreateCommand("SELECT count(*) FROM llm_events");
        var skip = (long)(await stored.ExecuteScalarAsync())!;
        var now = DateTimeOffset.UtcNow;
        Console.WriteLine($"seeding {Math.Max(0, events - skip):N0} events ({skip:N0} already stored)");
        await HistorySeeder.SeedAsync(db, now.AddDays(-days), now, events, skip);
        await UpkeepAsync(connectionString, days);
    }

    /// <summary>
    /// Makes a seed made hours ago look like a running system again: calls from its last one up to now at its own rate
    /// (the current hour is not empty, and reads that add it pay for it), and what the aggregator's hourly partition
    /// upkeep keeps: the running totals' boundaries and the hours of the recent totals; and the tag sums per model that
    /// its model-tag-rollup job keeps. Migrates a seed made by an older build first.
    /// </summary>
    public static async Task UpkeepAsync(string connectionString, int days)
    {
        await using var db = MonitorDatabase.Create(connectionString);
        await new SchemaMigrator(db).MigrateAsync();
        var now = DateTimeOffset.UtcNow;
        await using (var stored = db.CreateCommand("SELECT max(timestamp), count(*) FROM llm_events"))
        await using (var reader = await stored.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            var (last, count) = (reader.IsDBNull(0) ? now : reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1));
            var missing = (long)(count / (days * 24.0) * (now - last).TotalHours);
            if (missing > 0)
            {
                Console.WriteLine($"topping up {missing:N0} events from {last:u} to now");
                await HistorySeeder.SeedAsync(db, last.AddTicks(10), now, missing, seed: (int)(last.UtcTicks % int.MaxValue));
            }
        }

        var bounds = await new RunningTotalBounds(db).EnsureAsync(DateOnly.FromDateTime(now.AddDays(-days).UtcDateTime), now, CancellationToken.None);
        var hours = await new RecentTotals(db).AdvanceAsync(now, CancellationToken.None);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (built, _) = await new ModelTagRollups(db).RefreshAsync(now, TimeSpan.MaxValue, CancellationToken.None);
        await using var analyze = db.CreateCommand("ANALYZE llm_tag_running_totals; ANALYZE llm_tag_recent_totals; ANALYZE llm_model_tag_recent_totals");
        await analyze.ExecuteNonQueryAsync();
        Console.WriteLine($"{bounds} running-total boundaries added; the recent totals moved up by {hours} hours; "
            + $"{built} hours of tag sums per model built in {watch.Elapsed.TotalSeconds:F1} s");
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
