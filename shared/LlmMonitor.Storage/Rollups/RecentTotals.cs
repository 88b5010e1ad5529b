using LlmMonitor.Storage.Reads;
using LlmMonitor.Storage.Resilience;
using Npgsql;

namespace LlmMonitor.Storage.Rollups;

/// <summary>
/// Keeps llm_tag_recent_totals (migrations 0009, 0010): per span (24, 168 and 720 hours, one row each in
/// llm_tag_recent_since) the sums of the hours from the span before the current hour to the current hour. Each hour the
/// one that completed is added and the one that fell out subtracted, under a SHARE lock on the hourly tag rollups so
/// that no writer's change is counted both in those rows and by the trigger, or in neither.
/// </summary>
public sealed class RecentTotals(NpgsqlDataSource db)
{
    private const string HourlySums = """
        SELECT tag_key, tag_value, sum(request_count) AS request_count, sum(error_count) AS error_count,
               sum(total_tokens) AS total_tokens, sum(cost_usd) AS cost_usd, sum(unpriced_count) AS unpriced_count,
               max(last_seen) AS last_seen
        FROM llm_rollup_hourly_tags
        """;

    private const string Add = $"""
        INSERT INTO llm_tag_recent_totals AS t (span_hours, tag_key, tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen)
        SELECT $3, * FROM ({HourlySums} WHERE hour >= $1 AND hour < $2 GROUP BY 1, 2) h
        ON CONFLICT (span_hours, tag_key, tag_value) DO UPDATE SET
            request_count = t.request_count + excluded.request_count, error_count = t.error_count + excluded.error_count,
            total_tokens = t.total_tokens + excluded.total_tokens, cost_usd = t.cost_usd + excluded.cost_usd,
            unpriced_count = t.unpriced_count + excluded.unpriced_count, last_seen = greatest(t.last_seen, excluded.last_seen)
        """;

    private const string Subtract = $"""
        UPDATE llm_tag_recent_totals t SET request_count = t.request_count - g.request_count,
            error_count = t.error_count - g.error_count, total_tokens = t.total_tokens - g.total_tokens,
            cost_usd = t.cost_usd - g.cost_usd, unpriced_count = t.unpriced_count - g.unpriced_count
        FROM ({HourlySums} WHERE hour >= $1 AND hour < $2 GROUP BY 1, 2) g
        WHERE t.span_hours = $3 AND t.tag_key = g.tag_key AND t.tag_value = g.tag_value
        """;

    private const string Spans = "SELECT span_hours, since, until FROM llm_tag_recent_since ORDER BY span_hours";

    /// <summary>Rows that differ from the hourly tag rollups of their span's hours (or have no counterpart there). Takes no locks.</summary>
    private const string Drift = """
        SELECT count(*) FROM llm_tag_recent_totals t
        FULL JOIN (
            SELECT r.span_hours, h.tag_key, h.tag_value, sum(h.request_count) AS request_count, sum(h.error_count) AS error_count,
                   sum(h.total_tokens) AS total_tokens, sum(h.cost_usd) AS cost_usd, sum(h.unpriced_count) AS unpriced_count
            FROM llm_rollup_hourly_tags h JOIN llm_tag_recent_since r ON h.hour >= r.since AND h.hour < r.until
            GROUP BY 1, 2, 3
        ) h USING (span_hours, tag_key, tag_value)
        WHERE (t.request_count, t.error_count, t.total_tokens, t.cost_usd, t.unpriced_count)
              IS DISTINCT FROM (h.request_count, h.error_count, h.total_tokens, h.cost_usd, h.unpriced_count)
          AND coalesce(t.request_count, 0) + coalesce(h.request_count, 0) > 0
        """;

    /// <summary>The hours a span's totals should cover at <paramref name="now"/>: [current hour − span, current hour).</summary>
    public static (DateTimeOffset Since, DateTimeOffset Until) HoursFor(DateTimeOffset now, int spanHours)
    {
        var hour = TimeWindow.FloorHour(now.ToUniversalTime());
        return (hour.AddHours(-spanHours), hour);
    }

    /// <summary>Moves every span's hours up to <see cref="HoursFor"/>; never back.</summary>
    /// <returns>The hours moved (the most of any span).</returns>
    public Task<int> AdvanceAsync(DateTimeOffset now, CancellationToken ct) => InLockAsync(async (conn, spans, c) =>
    {
        var moved = 0;
        foreach (var (span, hours) in spans)
        {
            var (since, until) = HoursFor(now, span);
            if (until <= hours.Until)
            {
                continue;
            }

            await ExecuteAsync(conn, Add, c, hours.Until, until, span);
            await ExecuteAsync(conn, Subtract, c, hours.Since, since, span);
            await ExecuteAsync(conn, "DELETE FROM llm_tag_recent_totals WHERE span_hours = $1 AND request_count = 0", c, span);
            await ExecuteAsync(conn, "UPDATE llm_tag_recent_since SET since = $1, until = $2 WHERE span_hours = $3", c, since, until, span);
            moved = Math.Max(moved, (int)(until - hours.Until).TotalHours);
        }

        return moved;
    }, ct);

    /// <summary>How many values disagree with the hourly tag rollups (the rollup check).</summary>
    public async Task<long> CheckAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Drift);
        cmd.CommandTimeout = 0;
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Recomputes every row from the hourly tag rollups (the rollup check's repair).</summary>
    public Task<int> RebuildAsync(CancellationToken ct) => InLockAsync(async (conn, spans, c) =>
    {
        await ExecuteAsync(conn, "DELETE FROM llm_tag_recent_totals", c);
        foreach (var (span, hours) in spans)
        {
            await ExecuteAsync(conn, Add, c, hours.Since, hours.Until, span);
        }

        return 1;
    }, ct);

    private async Task<int> InLockAsync(
        Func<NpgsqlConnection, List<(int Span, (DateTimeOffset Since, DateTimeOffset Until) Hours)>, CancellationToken, Task<int>> work,
        CancellationToken cancellationToken) =>
        await PostgresRetry.OnConflict.ExecuteAsync(async ct =>
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            // As for the running-total boundaries: a short wait, since writers queue behind a waiting lock request.
            await ExecuteAsync(conn, "SET LOCAL lock_timeout = '2s'; LOCK TABLE llm_rollup_hourly_tags IN SHARE MODE", ct);
            var spans = new List<(int, (DateTimeOffset, DateTimeOffset))>();
            await using (var read = new NpgsqlCommand(Spans, conn))
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    spans.Add((reader.GetInt32(0), (reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2))));
                }
            }

            var result = await work(conn, spans, ct);
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
