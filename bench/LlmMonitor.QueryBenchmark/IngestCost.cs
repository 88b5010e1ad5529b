using LlmMonitor.BenchData;
using System.Diagnostics;
using LlmMonitor.Storage;
using LlmMonitor.Storage.Rollups;
using Npgsql;

namespace LlmMonitor.QueryBenchmark;

/// <summary>
/// The writer's COPY path (staging, dedup, rollups) on live-like rows — every event within the last hour —
/// into a scratch schema, with the writer's batch size and concurrency. Used to price each rollup.
/// </summary>
public static class IngestCost
{
    /// <returns>Rows per second (wall clock), and the PostgreSQL backend's CPU time per row in microseconds — the
    /// second is steady when other work shares the machine. Runs on one connection so that one backend does it all.</returns>
    /// <param name="options">What the run switches on or off (<see cref="IngestCostOptions"/>).</param>
    public static async Task<(double RowsPerSecond, double BackendMicrosPerRow)> RunAsync(string connectionString, int rows, int batchRows,
        IngestCostOptions options)
    {
        var schema = $"qbench_ingest_{Environment.ProcessId}";
        await using (var admin = NpgsqlDataSource.Create(connectionString))
        {
            await using var reset = admin.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}");
            await reset.ExecuteNonQueryAsync();
        }

        await using var db = MonitorDatabase.Create(new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 1 }.ConnectionString, schema);
        try
        {
            await new SchemaMigrator(db).MigrateAsync();
            // The running-total boundaries partition upkeep keeps, up to the current hour, as on a running system.
            await new RunningTotalBounds(db).EnsureAsync(DateOnly.FromDateTime(DateTime.UtcNow), DateTimeOffset.UtcNow, CancellationToken.None);
            if (options.WithoutRecentTotals)
            {
                await using var off = db.CreateCommand("UPDATE llm_tag_recent_since SET since = 'infinity', until = 'infinity'");
                await off.ExecuteNonQueryAsync();
            }

            if (options.WithoutRunningTotals)
            {
                await using var off = db.CreateCommand("DELETE FROM llm_tag_running_total_bounds WHERE until = 'infinity'");
                await off.ExecuteNonQueryAsync();
            }

            if (options.WithoutSessionHours)
            {
                await using var off = db.CreateCommand("""
                    ALTER TABLE llm_sessions DISABLE TRIGGER session_hours_insert;
                    ALTER TABLE llm_sessions DISABLE TRIGGER session_hours_update;
                    ALTER TABLE llm_sessions DISABLE TRIGGER session_hours_delete;
                    """);
                await off.ExecuteNonQueryAsync();
            }

            if (options.Watched)
            {
                await using var viewer = db.CreateCommand("INSERT INTO llm_live_viewers (web_ui, until) VALUES ('query-benchmark', 'infinity')");
                await viewer.ExecuteNonQueryAsync();
            }

            var writer = new EventCopyWriter(db, new Partitions(db), options.Announce);
            var now = DateTimeOffset.UtcNow;
            var batches = new SyntheticCalls(42).Between(now.AddHours(-1), now, rows).Chunk(batchRows).ToList();
            await writer.WriteAsync(batches[0]); // warm-up: partitions, connections, JIT
            var backend = await BackendPidAsync(db);
            var cpuBefore = BackendCpuTicks(backend);
            var stopwatch = Stopwatch.StartNew();
            foreach (var batch in batches.Skip(1))
            {
                await writer.WriteAsync(batch);
            }

            var seconds = stopwatch.Elapsed.TotalSeconds;
            var cpuMicros = (BackendCpuTicks(backend) - cpuBefore) * 1_000_000.0 / 100; // USER_HZ = 100 on Linux
            var measured = rows - batches[0].Length;
            return (measured / seconds, cpuMicros / measured);
        }
        finally
        {
            await using var drop = db.CreateCommand($"DROP SCHEMA {schema} CASCADE");
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static async Task<int> BackendPidAsync(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand("SELECT pg_backend_pid()");
        return (int)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>utime + stime of a local PostgreSQL backend, from /proc (the server must run on this machine).</summary>
    private static long BackendCpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <param name="Announce">Whether the writer announces the stored events for the live view (pg_notify), as it does in production.</param>
/// <param name="Watched">A live view open (a row in llm_live_viewers) for the whole run, so that the notices carry the calls' fields;
/// without one they carry ids only, as when nobody watches.</param>
/// <param name="WithoutRecentTotals">Start every span's recent totals at 'infinity', so that the trigger adds nothing to them: their cost.</param>
/// <param name="WithoutSessionHours">Disable the sessions-per-hour trigger on llm_sessions: its cost.</param>
/// <param name="WithoutRunningTotals">Remove the running totals' 'infinity' boundary: the cost of what is still added to it.</param>
public sealed record IngestCostOptions(bool Announce, bool Watched, bool WithoutRecentTotals, bool WithoutSessionHours, bool WithoutRunningTotals);
