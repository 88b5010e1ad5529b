using Npgsql;

namespace LlmMonitor.Aggregator.Storage;

/// <summary>
/// Deletes the rollup rows of the days before a cutoff day (ROLLUP_RETENTION_DAYS), whole days only, and the sessions
/// and traces whose latest call is before it (one that straddles the cutoff keeps the totals of all its calls).
/// </summary>
public sealed class RollupPruner(NpgsqlDataSource db)
{
    // Whole days, so that each daily row that remains is still the sum of the hourly rows of its day. Deleting old
    // hourly tag rows changes no running-total difference (migration 0006), so their trigger is told to skip them,
    // and the boundaries before the cutoff, which would no longer be differences of kept days, go.
    private const string Sql = """
        WITH b AS (DELETE FROM llm_tag_running_totals WHERE until < $1 RETURNING 1),
             bb AS (DELETE FROM llm_tag_running_total_bounds WHERE until < $1 RETURNING 1),
             h AS (DELETE FROM llm_rollup_hourly WHERE hour < $1 RETURNING 1),
             hl AS (DELETE FROM llm_rollup_hourly_histogram WHERE hour < $1 RETURNING 1),
             ht AS (DELETE FROM llm_rollup_hourly_tags WHERE hour < $1 RETURNING 1),
             dt AS (DELETE FROM llm_rollup_daily_tags WHERE day < $1 RETURNING 1),
             dl AS (DELETE FROM llm_rollup_daily_histogram WHERE day < $1 RETURNING 1),
             s AS (DELETE FROM llm_sessions WHERE last_seen < $1 RETURNING 1),
             t AS (DELETE FROM llm_traces WHERE last_seen < $1 RETURNING 1)
        SELECT (SELECT count(*) FROM h) + (SELECT count(*) FROM hl) + (SELECT count(*) FROM ht)
             + (SELECT count(*) FROM dt) + (SELECT count(*) FROM dl) + (SELECT count(*) FROM s) + (SELECT count(*) FROM t)
        """;

    /// <returns>How many rollup rows were deleted.</returns>
    public async Task<long> PruneBeforeAsync(DateOnly firstKeptDay, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var pruning = new NpgsqlCommand("SELECT set_config('llm_monitor.pruning', 'on', true)", conn, tx))
        {
            await pruning.ExecuteNonQueryAsync(ct);
        }

        await using var cmd = new NpgsqlCommand(Sql, conn, tx);
        cmd.Parameters.AddWithValue(UtcDays.Start(firstKeptDay));
        var deleted = (long)(await cmd.ExecuteScalarAsync(ct))!;
        await tx.CommitAsync(ct);
        return deleted;
    }
}
