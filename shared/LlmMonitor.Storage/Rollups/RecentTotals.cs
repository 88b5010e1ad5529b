using LlmMonitor.Storage.Reads;
using LlmMonitor.Storage.Resilience;
using Npgsql;

namespace LlmMonitor.Storage.Rollups;

/// <summary>
/// Keeps llm_tag_recent_totals (migration 0009) over the hours from <see cref="Span"/> before the current hour to the
/// current hour: each hour the one that completed is added and the one that fell out subtracted, under a SHARE lock on
/// the hourly tag rollups so that no writer's change is counted both in those rows and by the trigger, or in neither.
/// </summary>
public sealed class RecentTotals(NpgsqlDataSource db)
{
    /// <summary>How far back the totals start, from the current hour: a day's window begins within the hour after.</summary>
    public static readonly TimeSpan Span = TimeSpan.FromHours(24);

    private const string HourlySums = """
        SELECT tag_key, tag_value, sum(request_count) AS request_count, sum(error_count) AS error_count,
               sum(total_tokens) AS total_tokens, sum(cost_usd) AS cost_usd, sum(unpriced_count) AS unpriced_count,
               max(last_seen) AS last_seen
        FROM llm_rollup_hourly_tags
        """;

    private const string Add = $"""
        INSERT INTO llm_tag_recent_totals AS t (tag_key, tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen)
        {HourlySums} WHERE hour >= $1 AND hour < $2 GROUP BY 1, 2
        ON CONFLICT (tag_key, tag_value) DO UPDATE SET
            request_count = t.request_count + excluded.request_count, error_count = t.error_count + excluded.error_count,
            total_tokens = t.total_tokens + excluded.total_tokens, cost_usd = t.cost_usd + excluded.cost_usd,
            unpriced_count = t.unpriced_count + excluded.unpriced_count, last_seen = greatest(t.last_seen, excluded.last_seen)
        """;

    private const string Subtract = $"""
        UPDATE llm_tag_recent_totals t SET request_count = t.request_count - g.request_count,
            error_count = t.error_count - g.error_count, total_tokens = t.total_tokens - g.total_tokens,
            cost_usd = t.cost_usd - g.cost_usd, unpriced_count = t.unpriced_count - g.unpriced_count
        FROM ({HourlySums} WHERE hour >= $1 AND hour < $2 GROUP BY 1, 2) g
        WHERE t.tag_key = g.tag_key AND t.tag_value = g.tag_value
        """;

    private const string Hours = "SELECT since, until FROM llm_tag_recent_since";

    /// <summary>Rows that differ from the hourly tag rollups of their hours (or have no counterpart there). Takes no locks.</summary>
    private const string Drift = $"""
        SELECT count(*) FROM llm_tag_recent_totals t
        FULL JOIN ({HourlySums} h JOIN llm_tag_recent_since r ON h.hour >= r.since AND h.hour < r.until GROUP BY 1, 2) h USING (tag_key, tag_value)
        WHERE (t.request_count, t.error_count, t.total_tokens, t.cost_usd, t.unpriced_count)
              IS DISTINCT FROM (h.request_count, h.error_count, h.total_tokens, h.cost_usd, h.unpriced_count)
          AND coalesce(t.request_count, 0) + coalesce(h.request_count, 0) > 0
        """;

    /// <summary>The hours the totals should cover at <paramref name="now"/>: [current hour − <see cref="Span"/>, current hour).</summary>
    public static (DateTimeOffset Since, DateTimeOffset Until) HoursFor(DateTimeOffset now)
    {
        var hour = TimeWindow.FloorHour(now.ToUniversalTime());
        return (hour - Span, hour);
    }

    /// <summary>Moves the hours up to <see cref="HoursFor"/>; never back.</summary>
    /// <returns>The hours moved.</returns>
    public Task<int> AdvanceAsync(DateTimeOffset now, CancellationToken ct) => InLockAsync(async (conn, hours, c) =>
    {
        var (since, until) = HoursFor(now);
        if (until <= hours.Until)
        {
            return 0;
        }

        await ExecuteAsync(conn, Add, c, hours.Until, until);
        await ExecuteAsync(conn, Subtract, c, hours.Since, since);
        await ExecuteAsync(conn, "DELETE FROM llm_tag_recent_totals WHERE request_count = 0", c);
        await ExecuteAsync(conn, "UPDATE llm_tag_recent_since SET since = $1, until = $2", c, since, until);
        return (int)(until - hours.Until).TotalHours;
    }, ct);

    /// <summary>How many values disagree with the hourly tag rollups (the rollup check).</summary>
    public async Task<long> CheckAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Drift);
        cmd.CommandTimeout = 0;
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Recomputes every row from the hourly tag rollups (the rollup check's repair).</summary>
    public Task<int> RebuildAsync(CancellationToken ct) => InLockAsync(async (conn, hours, c) =>
    {
        await ExecuteAsync(conn, "DELETE FROM llm_tag_recent_totals", c);
        await ExecuteAsync(conn, Add, c, hours.Since, hours.Until);
        return 1;
    }, ct);

    private async Task<int> InLockAsync(Func<NpgsqlConnection, (DateTimeOffset Since, DateTimeOffset Until), CancellationToken, Task<int>> work,
        CancellationToken cancellationToken) =>
        await PostgresRetry.OnConflict.ExecuteAsync(async ct =>
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            // As for the running-total boundaries: a short wait, since writers queue behind a waiting lock request.
            await ExecuteAsync(conn, "SET LOCAL lock_timeout = '2s'; LOCK TABLE llm_rollup_hourly_tags IN SHARE MODE", ct);
            await using var read = new NpgsqlCommand(Hours, conn);
            await using var reader = await read.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var hours = (reader.GetFieldValue<DateTimeOffset>(0), reader.GetFieldValue<DateTimeOffset>(1));
            await reader.DisposeAsync();
            var result = await work(conn, hours, ct);
            await tx.CommitAsync(ct);
            return result;
        }, cancellationToken);

    private static async Task ExecuteAsync(NpgsqlConnection conn, string sql, CancellationToken ct, params object[] values)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        foreach (var value in values)
        {
            cmd.Parameters.AddWithValue(value);
        }

        await cmd.ExecuteNonQueryAsync(ct);
    }
}
