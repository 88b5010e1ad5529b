using Npgsql;

namespace LlmMonitor.Aggregator.Storage;

/// <summary>Deletes the rollup rows of the days before a cutoff day (ROLLUP_RETENTION_DAYS), whole days only.</summary>
public sealed class RollupPruner(NpgsqlDataSource db)
{
    // Whole days, so that each daily row that remains is still the sum of the hourly rows of its day.
    private const string Sql = """
        WITH h AS (DELETE FROM llm_rollup_hourly WHERE hour < $1 RETURNING 1),
             hl AS (DELETE FROM llm_rollup_hourly_latency WHERE hour < $1 RETURNING 1),
             ht AS (DELETE FROM llm_rollup_hourly_tags WHERE hour < $1 RETURNING 1),
             dt AS (DELETE FROM llm_rollup_daily_tags WHERE day < $1 RETURNING 1),
             dl AS (DELETE FROM llm_rollup_daily_latency WHERE day < $1 RETURNING 1)
        SELECT (SELECT count(*) FROM h) + (SELECT count(*) FROM hl) + (SELECT count(*) FROM ht)
             + (SELECT count(*) FROM dt) + (SELECT count(*) FROM dl)
        """;

    /// <returns>How many rollup rows were deleted.</returns>
    public async Task<long> PruneBeforeAsync(DateOnly firstKeptDay, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Sql);
        cmd.Parameters.AddWithValue(UtcDays.Start(firstKeptDay));
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
