using System.Data;
using LlmMonitor.Storage.Resilience;
using Npgsql;

namespace LlmMonitor.Aggregator.Storage;

/// <summary>Finds and repairs rollup rows of a UTC day that differ from a GROUP BY over llm_events.</summary>
public sealed class RollupAuditor(NpgsqlDataSource db)
{
    /// <summary>
    /// Differing rows per table (missing, extra or wrong rows; a wrong row counts twice). One REPEATABLE READ snapshot
    /// for all tables: the writer and the re-pricer change events and rollups in one transaction each, so in any
    /// snapshot they agree, and a difference seen here is real drift, not a write in flight. Takes no locks.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> CheckAsync(DateOnly day, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var drift = new Dictionary<string, long>();
        foreach (var table in RollupTable.All)
        {
            await using var cmd = Command(conn, tx, table.Drift, day);
            drift[table.Name] = (long)(await cmd.ExecuteScalarAsync(ct))!;
        }

        await tx.CommitAsync(ct);
        return drift;
    }

    /// <summary>
    /// Rewrites the day's rows of the given tables from llm_events. The rollup tables are locked against writes
    /// meanwhile (SHARE ROW EXCLUSIVE: readers go on; the writer's and re-pricer's statements wait before they change
    /// anything), so no event is added between the GROUP BY and the commit.
    /// </summary>
    public async Task<int> RepairAsync(DateOnly day, IReadOnlyCollection<string> tables, CancellationToken cancellationToken) =>
        await PostgresRetry.OnConflict.ExecuteAsync(async ct =>
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            var all = string.Join(", ", RollupTable.All.Select(t => t.Name));
            // Not waiting long for the lock: writers queue behind a waiting lock request. Retried when it times out.
            await using (var lockCmd = new NpgsqlCommand($"SET LOCAL lock_timeout = '2s'; LOCK TABLE {all} IN SHARE ROW EXCLUSIVE MODE", conn, tx))
            {
                await lockCmd.ExecuteNonQueryAsync(ct);
            }

            var rewritten = 0;
            foreach (var table in RollupTable.All.Where(t => tables.Contains(t.Name)))
            {
                await using var delete = Command(conn, tx, table.Delete, day);
                await delete.ExecuteNonQueryAsync(ct);
                await using var insert = Command(conn, tx, table.Insert, day);
                rewritten += await insert.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
            return rewritten;
        }, cancellationToken);

    private static NpgsqlCommand Command(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, DateOnly day)
    {
        var cmd = new NpgsqlCommand(sql, conn, tx) { CommandTimeout = 0 };
        cmd.Parameters.AddWithValue(UtcDays.Start(day));
        cmd.Parameters.AddWithValue(UtcDays.Start(day.AddDays(1)));
        return cmd;
    }
}
