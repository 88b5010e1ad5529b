using System.Diagnostics;
using Npgsql;

namespace LlmMonitor.Storage.Rollups;

/// <summary>
/// Packs each running-total boundary's rows per tag key (<see cref="TagSumPack"/>, migration 0020) where it has no pack:
/// new boundaries, and those whose rows changed since (a trigger deleted their packs). One boundary per transaction,
/// which holds llm_tag_running_totals in SHARE mode while it reads the rows and writes the pack: a change of the rows
/// that committed after the read would otherwise delete no pack yet and leave this one stale. Only late calls (and the
/// aggregator's jobs) write the running totals, so the writer's current calls never wait for it.
/// </summary>
public sealed class RunningTotalPacks(NpgsqlDataSource db)
{
    /// <summary>The boundaries (newest first) and keys with rows and no pack; the keys by a skip scan of the primary key.</summary>
    private const string Missing = """
        WITH RECURSIVE keys (tag_key) AS (
            SELECT min(tag_key) FROM llm_tag_running_totals
            UNION ALL
            SELECT (SELECT min(tag_key) FROM llm_tag_running_totals WHERE tag_key > keys.tag_key) FROM keys WHERE keys.tag_key IS NOT NULL
        )
        SELECT k.tag_key, b.until FROM keys k CROSS JOIN llm_tag_running_total_bounds b
        WHERE k.tag_key IS NOT NULL AND b.until <> 'infinity'
          AND NOT EXISTS (SELECT FROM llm_tag_running_total_packs p WHERE p.tag_key = k.tag_key AND p.until = b.until)
          AND EXISTS (SELECT FROM llm_tag_running_totals r WHERE r.tag_key = k.tag_key AND r.until = b.until)
        ORDER BY b.until DESC, k.tag_key
        """;

    /// <summary>Packs the boundaries that have no pack, newest first, until none is left or <paramref name="budget"/> is spent.</summary>
    /// <returns>How many packs were written.</returns>
    public async Task<int> PackAsync(TimeSpan budget, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var packed = 0;
        foreach (var (key, until) in await MissingAsync(ct))
        {
            if (watch.Elapsed >= budget)
            {
                break;
            }

            try
            {
                packed += await PackAsync(key, until, ct) ? 1 : 0;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                break; // Boundaries being changed: the next run packs them.
            }
        }

        return packed;
    }

    private async Task<List<(string Key, DateTimeOffset Until)>> MissingAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Missing);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var missing = new List<(string, DateTimeOffset)>();
        while (await reader.ReadAsync(ct))
        {
            missing.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return missing;
    }

    /// <returns>Whether a pack was written (not when one appeared meanwhile, or the rows are gone).</returns>
    private async Task<bool> PackAsync(string key, DateTimeOffset until, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var lockRows = new NpgsqlCommand("SET LOCAL lock_timeout = '5s'; LOCK TABLE llm_tag_running_totals IN SHARE MODE", conn))
        {
            await lockRows.ExecuteNonQueryAsync(ct);
        }

        var rows = new List<PackedSums>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count FROM llm_tag_running_totals
            WHERE tag_key = $1 AND until = $2 AND NOT EXISTS (SELECT FROM llm_tag_running_total_packs WHERE tag_key = $1 AND until = $2)
            ORDER BY tag_value
            """, conn))
        {
            cmd.Parameters.AddWithValue(key);
            cmd.Parameters.AddWithValue(until);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetDecimal(4), reader.GetInt64(5), null));
            }
        }

        if (rows.Count == 0)
        {
            return false;
        }

        await using (var insert = new NpgsqlCommand("INSERT INTO llm_tag_running_total_packs (tag_key, until, data) VALUES ($1, $2, $3)", conn))
        {
            insert.Parameters.AddWithValue(key);
            insert.Parameters.AddWithValue(until);
            insert.Parameters.AddWithValue(TagSumPack.Write(until, rows));
            await insert.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return true;
    }
}
