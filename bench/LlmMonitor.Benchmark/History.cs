using LlmMonitor.BenchData;
using Npgsql;

namespace LlmMonitor.Benchmark;

/// <summary>
/// The history the measurements run on: production's llm_events holds a month of events, and its indexes, the
/// duplicate lookups by event_id and the partitions of today are not those of an empty table.
/// </summary>
public static class History
{
    /// <summary>How far inside the retention window the oldest seeded event lies, so that the retention job
    /// (which drops a day once it lies wholly outside the window) keeps it during the run.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromHours(6);

    /// <summary>
    /// Prints what llm_events holds, and if fewer than <paramref name="wanted"/> events lie within the last
    /// <paramref name="retentionDays"/> days, seeds the difference through the writer's COPY path (rollups
    /// included), spread evenly over the window less <see cref="Margin"/>.
    /// </summary>
    public static async Task EnsureAsync(NpgsqlDataSource db, long wanted, int retentionDays)
    {
        var now = DateTimeOffset.UtcNow;
        await using var count = db.CreateCommand("SELECT count(*), count(*) FILTER (WHERE timestamp >= $1) FROM llm_events");
        count.Parameters.AddWithValue(now.AddDays(-retentionDays));
        count.CommandTimeout = 600;
        long total, inWindow;
        await using (var reader = await count.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            (total, inWindow) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        Console.WriteLine($"  llm_events holds {total:N0} rows, {inWindow:N0} of them in the last {retentionDays} days (wanted: {wanted:N0})");
        if (inWindow >= wanted)
        {
            return;
        }

        Console.WriteLine($"  seeding {wanted - inWindow:N0} events of history through the writer's COPY path (a few minutes per 10 million) …");
        await HistorySeeder.SeedAsync(db, now.AddDays(-retentionDays) + Margin, now, wanted - inWindow);
    }
}
