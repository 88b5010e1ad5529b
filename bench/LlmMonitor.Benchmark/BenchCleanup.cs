using LlmMonitor.Aggregator.Storage;
using Npgsql;

namespace LlmMonitor.Benchmark;

/// <summary>
/// Removes a run's events from a stack that may hold real data: deletes them from llm_events, then rewrites the
/// rollups of the days they fell on from what is left (the aggregator's rollup repair), so that every rollup, the
/// tag and daily ones included, again equals a GROUP BY over llm_events, and vacuums those days' partitions.
/// </summary>
public static class BenchCleanup
{
    public static async Task RunAsync(NpgsqlDataSource db, string runId)
    {
        await using var delete = db.CreateCommand("DELETE FROM llm_events WHERE provider LIKE $1 RETURNING (timestamp AT TIME ZONE 'UTC')::date");
        delete.Parameters.AddWithValue(runId + "%");
        delete.CommandTimeout = 600;
        var days = new HashSet<DateOnly>();
        await using (var reader = await delete.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                days.Add(reader.GetFieldValue<DateOnly>(0));
            }
        }

        var auditor = new RollupAuditor(db);
        foreach (var day in days)
        {
            await auditor.RepairAsync(day, [.. RollupTable.All.Select(t => t.Name)], CancellationToken.None);
            // Hundreds of thousands of dead rows would slow the next run's inserts into the same day.
            await VacuumAsync(db, day);
        }
    }

    public static async Task VacuumAsync(NpgsqlDataSource db, DateOnly day)
    {
        await using var vacuum = db.CreateCommand($"VACUUM (ANALYZE) llm_events_{day:yyyyMMdd}");
        vacuum.CommandTimeout = 600;
        await vacuum.ExecuteNonQueryAsync();
    }
}
