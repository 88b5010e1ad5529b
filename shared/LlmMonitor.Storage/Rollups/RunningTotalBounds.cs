using LlmMonitor.Storage.Resilience;
using Npgsql;

namespace LlmMonitor.Storage.Rollups;

/// <summary>
/// Keeps a row in llm_tag_running_totals for every tag value at every UTC midnight of the event retention window
/// (see migration 0006): the read API ranks a tag's values over a window from two of them. A new midnight is the one
/// before it plus that day's daily tag rows; a first one is the 'infinity' row minus the daily rows from it on.
/// </summary>
public sealed class RunningTotalBounds(NpgsqlDataSource db)
{
    private const string Sums = "request_count, error_count, total_tokens, cost_usd, unpriced_count";

    private const string Insert = $"INSERT INTO llm_tag_running_totals (tag_key, until, tag_value, {Sums})";

    private const string FromInfinity = $"""
        {Insert}
        SELECT i.tag_key, $1, i.tag_value, i.request_count - coalesce(a.request_count, 0), i.error_count - coalesce(a.error_count, 0),
               i.total_tokens - coalesce(a.total_tokens, 0), i.cost_usd - coalesce(a.cost_usd, 0),
               i.unpriced_count - coalesce(a.unpriced_count, 0)
        FROM llm_tag_running_totals i
        LEFT JOIN (SELECT tag_key, tag_value, sum(request_count) AS request_count, sum(error_count) AS error_count,
                          sum(total_tokens) AS total_tokens, sum(cost_usd) AS cost_usd, sum(unpriced_count) AS unpriced_count
                   FROM llm_rollup_daily_tags WHERE day >= $1 GROUP BY 1, 2) a USING (tag_key, tag_value)
        WHERE i.until = 'infinity' AND i.request_count <> coalesce(a.request_count, 0)
        """;

    private const string FromDayBefore = $"""
        {Insert}
        SELECT tag_key, $1, tag_value, coalesce(p.request_count, 0) + coalesce(d.request_count, 0),
               coalesce(p.error_count, 0) + coalesce(d.error_count, 0), coalesce(p.total_tokens, 0) + coalesce(d.total_tokens, 0),
               coalesce(p.cost_usd, 0) + coalesce(d.cost_usd, 0), coalesce(p.unpriced_count, 0) + coalesce(d.unpriced_count, 0)
        FROM (SELECT * FROM llm_tag_running_totals WHERE until = $2) p
        FULL JOIN (SELECT * FROM llm_rollup_daily_tags WHERE day = $2) d USING (tag_key, tag_value)
        """;

    /// <summary>Boundaries at every midnight from <paramref name="first"/> to <paramref name="last"/>, none before.</summary>
    /// <returns>How many boundaries were added.</returns>
    public async Task<int> EnsureAsync(DateOnly first, DateOnly last, CancellationToken cancellationToken) =>
        await PostgresRetry.OnConflict.ExecuteAsync(async ct =>
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            // SHARE: no daily tag row (and so no running total) changes until the new rows are in. Not waiting long,
            // since writers queue behind a waiting lock request; retried when it times out.
            await Execute(conn, "SET LOCAL lock_timeout = '2s'; LOCK TABLE llm_rollup_daily_tags IN SHARE MODE", ct);
            await Execute(conn, "DELETE FROM llm_tag_running_totals WHERE until < $1", ct, Midnight(first));
            await Execute(conn, "DELETE FROM llm_tag_running_total_bounds WHERE until < $1", ct, Midnight(first));
            var existing = new HashSet<DateTimeOffset>();
            await using (var cmd = new NpgsqlCommand("SELECT until FROM llm_tag_running_total_bounds WHERE until <> 'infinity'", conn))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    existing.Add(reader.GetFieldValue<DateTimeOffset>(0));
                }
            }

            var added = 0;
            for (var day = first; day <= last; day = day.AddDays(1))
            {
                var until = Midnight(day);
                if (existing.Contains(until))
                {
                    continue;
                }

                var before = Midnight(day.AddDays(-1));
                await (existing.Contains(before)
                    ? Execute(conn, FromDayBefore, ct, until, before)
                    : Execute(conn, FromInfinity, ct, until));
                await Execute(conn, "INSERT INTO llm_tag_running_total_bounds VALUES ($1)", ct, until);
                existing.Add(until);
                added++;
            }

            await tx.CommitAsync(ct);
            return added;
        }, cancellationToken);

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static async Task Execute(NpgsqlConnection conn, string sql, CancellationToken ct, params DateTimeOffset[] values)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        foreach (var value in values)
        {
            cmd.Parameters.AddWithValue(value);
        }

        await cmd.ExecuteNonQueryAsync(ct);
    }
}
