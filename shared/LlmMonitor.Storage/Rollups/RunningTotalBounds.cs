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

    /// <summary>
    /// Each pair of neighbouring boundaries (the last with 'infinity') must differ by the daily rows between them; by
    /// telescoping, every boundary then equals 'infinity' minus the daily rows from it on.
    /// </summary>
    private const string Drift = $"""
        WITH pairs AS (
            SELECT until, next FROM (SELECT until, lead(until) OVER (ORDER BY until) AS next FROM llm_tag_running_total_bounds) b
            WHERE next IS NOT NULL
        ), signed AS (
            SELECT p.until, t.tag_key, t.tag_value, {Sums} FROM pairs p JOIN llm_tag_running_totals t ON t.until = p.next
            UNION ALL
            SELECT p.until, t.tag_key, t.tag_value, -request_count, -error_count, -total_tokens, -cost_usd, -unpriced_count
            FROM pairs p JOIN llm_tag_running_totals t ON t.until = p.until
            UNION ALL
            SELECT p.until, d.tag_key, d.tag_value, -request_count, -error_count, -total_tokens, -cost_usd, -unpriced_count
            FROM pairs p JOIN llm_rollup_daily_tags d ON d.day >= p.until AND d.day < p.next
        )
        SELECT count(*) FROM (
            SELECT 1 FROM signed GROUP BY until, tag_key, tag_value
            HAVING (sum(request_count), sum(error_count), sum(total_tokens), sum(cost_usd), sum(unpriced_count)) <> (0, 0, 0, 0, 0)
        ) drifted
        """;

    /// <summary>How many (boundary, value) rows disagree with the daily tag rollups. Takes no locks.</summary>
    public async Task<long> CheckAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Drift);
        cmd.CommandTimeout = 0;
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Recomputes every boundary from the 'infinity' rows and the daily tag rollups (the rollup check's repair).</summary>
    public Task<int> RebuildAsync(CancellationToken ct) => EnsureAsync(null, ct);

    /// <summary>Boundaries at every midnight from <paramref name="first"/> to <paramref name="last"/>, none before.</summary>
    /// <returns>How many boundaries were added.</returns>
    public Task<int> EnsureAsync(DateOnly first, DateOnly last, CancellationToken ct) => EnsureAsync((first, last), ct);

    /// <param name="range">The midnights to keep; null: the same ones again, every one recomputed.</param>
    private async Task<int> EnsureAsync((DateOnly First, DateOnly Last)? range, CancellationToken cancellationToken) =>
        await PostgresRetry.OnConflict.ExecuteAsync(async ct =>
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            // SHARE: no daily tag row (and so no running total) changes until the new rows are in. Not waiting long,
            // since writers queue behind a waiting lock request; retried when it times out.
            await Execute(conn, "SET LOCAL lock_timeout = '2s'; LOCK TABLE llm_rollup_daily_tags IN SHARE MODE", ct);
            var existing = new HashSet<DateTimeOffset>();
            await using (var cmd = new NpgsqlCommand("SELECT until FROM llm_tag_running_total_bounds WHERE until <> 'infinity'", conn))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    existing.Add(reader.GetFieldValue<DateTimeOffset>(0));
                }
            }

            var (first, last) = range ?? (existing.Count == 0 ? (DateOnly.MaxValue, DateOnly.MinValue) : (Day(existing.Min()), Day(existing.Max())));
            var keepFrom = range is null ? DateTimeOffset.MaxValue : Midnight(first);
            await Execute(conn, "DELETE FROM llm_tag_running_totals WHERE until < $1", ct, keepFrom);
            await Execute(conn, "DELETE FROM llm_tag_running_total_bounds WHERE until < $1", ct, keepFrom);
            existing.RemoveWhere(b => b < keepFrom);
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

    private static DateOnly Day(DateTimeOffset midnight) => DateOnly.FromDateTime(midnight.UtcDateTime);

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
