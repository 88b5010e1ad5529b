using LlmMonitor.Aggregator.Storage;
using Npgsql;

namespace LlmMonitor.Benchmark;

/// <summary>
/// Removes a run's events from a stack that may hold real data and history: deletes exactly the rows tagged with
/// one of the run's markers, then rewrites the rollups of the days they fell on from what is left (the aggregator's
/// rollup repair), so that every rollup, the tag and daily ones included, again equals a GROUP BY over llm_events,
/// and vacuums those days' partitions. Other rows, the seeded history included, stay as they were.
/// </summary>
public static class BenchCleanup
{
    /// <param name="from">No event of the run is older: bounds the scan to the run's time range (the primary key).</param>
    public static async Task<long> RunAsync(NpgsqlDataSource db, IReadOnlyCollection<string> markers, DateTimeOffset from)
    {
        await using var delete = db.CreateCommand(
            $"DELETE FROM llm_events WHERE timestamp >= $1 AND tags->>'{SyntheticEvents.MarkerTag}' = ANY($2) RETURNING (timestamp AT TIME ZONE 'UTC')::date");
        delete.Parameters.AddWithValue(from);
        delete.Parameters.AddWithValue(markers.ToArray());
        delete.CommandTimeout = 600;
        var days = new HashSet<DateOnly>();
        long deleted = 0;
        await using (var reader = await delete.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                days.Add(reader.GetFieldValue<DateOnly>(0));
                deleted++;
            }
        }

        var auditor = new RollupAuditor(db);
        foreach (var day in days)
        {
            await auditor.RepairAsync(day, [.. RollupTable.All.Select(t => t.Name)], CancellationToken.None);
            // Hundreds of thousands of dead rows would slow the next run's inserts into the same day.
            await VacuumAsync(db, day);
        }

        return deleted;
    }

    public static async Task VacuumAsync(NpgsqlDataSource db, DateOnly day)
    {
        await using var vacuum = db.CreateCommand($"VACUUM (ANALYZE) llm_events_{day:yyyyMMdd}");
        vacuum.CommandTimeout = 600;
        await vacuum.ExecuteNonQueryAsync();
    }
}
