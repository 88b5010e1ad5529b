using LlmMonitor.Storage.Resilience;
using Npgsql;

namespace LlmMonitor.Storage.Rollups;

/// <summary>
/// Keeps a row in llm_tag_running_totals for every tag value at every <see cref="Every"/> (00:00, 06:00, 12:00 and
/// 18:00 UTC) of the event retention window and every hour of the last <see cref="HourlyFor"/> (see migration 0006):
/// the read API ranks a tag's values over a window from two of them, each corrected by the hours between it and the
/// window's edge, at most half of <see cref="Every"/>. A new boundary is the one before it plus the hourly tag rows between the two; a first one
/// is the 'infinity' row moved by the hourly rows between the latest boundary and it. The 'infinity' rows hold the hours
/// before the latest boundary (migration 0013), so each change of the latest boundary moves them too.
/// </summary>
public sealed class RunningTotalBounds(NpgsqlDataSource db)
{
    /// <summary>How far back every hour has a boundary: a day's window, started at any minute, has one within the hour.</summary>
    public static readonly TimeSpan HourlyFor = TimeSpan.FromHours(48);

    /// <summary>
    /// How far apart the boundaries before that are. Every user active in the hours between an edge and its boundary is a
    /// row more to correct (at 10M calls a month, 6 hours were 23,000 hourly rows and doubled a 50,000-user ranking,
    /// 105 → 215-290 ms); with midnights alone an edge could be 12 hours away. Each boundary is a row per value.
    /// </summary>
    public static readonly TimeSpan Every = TimeSpan.FromHours(6);

    private const string Sums = "request_count, error_count, total_tokens, cost_usd, unpriced_count";

    private const string Insert = $"INSERT INTO llm_tag_running_totals (tag_key, until, tag_value, {Sums})";

    private const string HourlySums = """
        SELECT tag_key, tag_value, sum(request_count) AS request_count, sum(error_count) AS error_count,
               sum(total_tokens) AS total_tokens, sum(cost_usd) AS cost_usd, sum(unpriced_count) AS unpriced_count
        FROM llm_rollup_hourly_tags
        """;

    /// <summary>
    /// What turns sums of the hours before $2 into sums of the hours before $1: the hourly rows between the two, added
    /// when $1 is later, subtracted when earlier.
    /// </summary>
    private const string Between = """
        SELECT tag_key, tag_value, sum(sign * request_count) AS request_count, sum(sign * error_count) AS error_count,
               sum(sign * total_tokens) AS total_tokens, sum(sign * cost_usd) AS cost_usd,
               sum(sign * unpriced_count) AS unpriced_count, max(last_seen) FILTER (WHERE sign > 0) AS last_seen
        FROM (SELECT *, CASE WHEN hour >= $1 THEN -1 ELSE 1 END AS sign FROM llm_rollup_hourly_tags
              WHERE hour >= least($1::timestamptz, $2::timestamptz) AND hour < greatest($1::timestamptz, $2::timestamptz)) h
        GROUP BY 1, 2
        """;

    /// <summary>A boundary at $1 from the 'infinity' rows, which hold the hours before $2.</summary>
    private const string FromInfinity = $"""
        {Insert}
        SELECT * FROM (
            SELECT tag_key, $1::timestamptz, tag_value, coalesce(i.request_count, 0) + coalesce(a.request_count, 0) AS n,
                   coalesce(i.error_count, 0) + coalesce(a.error_count, 0), coalesce(i.total_tokens, 0) + coalesce(a.total_tokens, 0),
                   coalesce(i.cost_usd, 0) + coalesce(a.cost_usd, 0), coalesce(i.unpriced_count, 0) + coalesce(a.unpriced_count, 0)
            FROM (SELECT * FROM llm_tag_running_totals WHERE until = 'infinity') i
            FULL JOIN ({Between}) a USING (tag_key, tag_value)
        ) b
        WHERE n <> 0
        """;

    /// <summary>Moves the 'infinity' rows from holding the hours before $2 to holding those before $1.</summary>
    private const string MoveInfinity = $"""
        INSERT INTO llm_tag_running_totals AS t (tag_key, until, tag_value, {Sums}, last_seen)
        SELECT tag_key, 'infinity', tag_value, {Sums}, last_seen FROM ({Between}) a
        ORDER BY tag_key COLLATE "C", tag_value COLLATE "C"
        ON CONFLICT (tag_key, until, tag_value) DO UPDATE SET
            request_count = t.request_count + excluded.request_count, error_count = t.error_count + excluded.error_count,
            total_tokens = t.total_tokens + excluded.total_tokens, cost_usd = t.cost_usd + excluded.cost_usd,
            unpriced_count = t.unpriced_count + excluded.unpriced_count, last_seen = greatest(t.last_seen, excluded.last_seen)
        """;

    private const string FromEarlier = $"""
        {Insert}
        SELECT tag_key, $1, tag_value, coalesce(p.request_count, 0) + coalesce(h.request_count, 0),
               coalesce(p.error_count, 0) + coalesce(h.error_count, 0), coalesce(p.total_tokens, 0) + coalesce(h.total_tokens, 0),
               coalesce(p.cost_usd, 0) + coalesce(h.cost_usd, 0), coalesce(p.unpriced_count, 0) + coalesce(h.unpriced_count, 0)
        FROM (SELECT * FROM llm_tag_running_totals WHERE until = $2) p
        FULL JOIN ({HourlySums} WHERE hour >= $2 AND hour < $1 GROUP BY 1, 2) h USING (tag_key, tag_value)
        """;

    /// <summary>
    /// Each pair of neighbouring boundaries must differ by the hourly rows between them, and the last must equal
    /// 'infinity' (which holds the hours before it); by telescoping, every boundary then equals 'infinity' minus the
    /// hourly rows from it to the latest.
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
            SELECT p.until, h.tag_key, h.tag_value, -request_count, -error_count, -total_tokens, -cost_usd, -unpriced_count
            FROM pairs p JOIN llm_rollup_hourly_tags h ON h.hour >= p.until AND h.hour < p.next AND p.next <> 'infinity'
        )
        SELECT count(*) FROM (
            SELECT 1 FROM signed GROUP BY until, tag_key, tag_value
            HAVING (sum(request_count), sum(error_count), sum(total_tokens), sum(cost_usd), sum(unpriced_count)) <> (0, 0, 0, 0, 0)
        ) drifted
        """;

    /// <summary>How many (boundary, value) rows disagree with the hourly tag rollups. Takes no locks.</summary>
    public async Task<long> CheckAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Drift);
        cmd.CommandTimeout = 0;
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Boundaries at every <see cref="Every"/> from <paramref name="firstDay"/>'s midnight to <paramref name="now"/> and
    /// every hour of the <see cref="HourlyFor"/> before it; none before those.
    /// </summary>
    /// <returns>How many boundaries were added.</returns>
    public Task<int> EnsureAsync(DateOnly firstDay, DateTimeOffset now, CancellationToken ct) => RunAsync(existing =>
    {
        var wanted = Wanted(firstDay, now);
        return (wanted, existing.Where(b => !wanted.Contains(b)).ToList());
    }, ct);

    /// <summary>The boundaries <see cref="EnsureAsync"/> keeps.</summary>
    public static HashSet<DateTimeOffset> Wanted(DateOnly firstDay, DateTimeOffset now)
    {
        var lastHour = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);
        var firstHour = lastHour - HourlyFor;
        var first = new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var spaced = Enumerable.Range(0, Math.Max(0, (int)((lastHour - first) / Every) + 1)).Select(i => first + i * Every);
        var hours = Enumerable.Range(0, (int)HourlyFor.TotalHours + 1).Select(h => firstHour.AddHours(h));
        return spaced.Concat(hours).ToHashSet();
    }

    /// <summary>Recomputes every boundary from the 'infinity' rows and the hourly tag rollups (the rollup check's repair).</summary>
    public Task<int> RebuildAsync(CancellationToken ct) => RunAsync(existing => ([.. existing], [.. existing]), ct);

    /// <summary>How long a run packs boundaries after changing them (<see cref="RunningTotalPacks"/>); the rest waits for the next.</summary>
    public static readonly TimeSpan PackingBudget = TimeSpan.FromMinutes(2);

    /// <param name="plan">From the existing boundaries: those wanted, and those to drop (and recompute, if also wanted).</param>
    /// <returns>How many boundaries were added; then the boundaries without a pack are packed.</returns>
    private async Task<int> RunAsync(Func<HashSet<DateTimeOffset>, (HashSet<DateTimeOffset> Wanted, List<DateTimeOffset> Drop)> plan,
        CancellationToken ct)
    {
        var added = await ChangeAsync(plan, ct);
        await new RunningTotalPacks(db).PackAsync(PackingBudget, ct);
        return added;
    }

    private async Task<int> ChangeAsync(Func<HashSet<DateTimeOffset>, (HashSet<DateTimeOffset> Wanted, List<DateTimeOffset> Drop)> plan,
        CancellationToken cancellationToken) =>
        await PostgresRetry.OnConflict.ExecuteAsync(async ct =>
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            // SHARE: no hourly tag row (and so no running total) changes until the new rows are in. Not waiting long,
            // since writers queue behind a waiting lock request; retried when it times out.
            await Execute(conn, "SET LOCAL lock_timeout = '2s'; LOCK TABLE llm_rollup_hourly_tags IN SHARE MODE", ct);
            var existing = await ExistingAsync(conn, ct);
            var infinityBefore = Latest(existing);
            var (wanted, drop) = plan(existing);
            await Execute(conn, "DELETE FROM llm_tag_running_totals WHERE until = ANY($1)", ct, drop.ToArray());
            await Execute(conn, "DELETE FROM llm_tag_running_total_bounds WHERE until = ANY($1)", ct, drop.ToArray());
            existing.ExceptWith(drop);
            var added = 0;
            foreach (var until in wanted.Where(b => !existing.Contains(b)).Order())
            {
                var earlier = existing.Where(b => b < until).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
                await (earlier >= until - HourlyFor
                    ? Execute(conn, FromEarlier, ct, until, earlier)
                    : Execute(conn, FromInfinity, ct, until, infinityBefore));
                await Execute(conn, "INSERT INTO llm_tag_running_total_bounds VALUES ($1)", ct, until);
                existing.Add(until);
                added++;
            }

            if (Latest(existing) != infinityBefore)
            {
                await Execute(conn, MoveInfinity, ct, Latest(existing), infinityBefore);
            }

            await tx.CommitAsync(ct);
            return added;
        }, cancellationToken);

    /// <summary>The hours the 'infinity' rows hold are those before this: the latest boundary, or all without one.</summary>
    private static DateTimeOffset Latest(HashSet<DateTimeOffset> existing) => existing.Count == 0 ? DateTimeOffset.MaxValue : existing.Max();

    private static async Task<HashSet<DateTimeOffset>> ExistingAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT until FROM llm_tag_running_total_bounds WHERE until <> 'infinity'", conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var existing = new HashSet<DateTimeOffset>();
        while (await reader.ReadAsync(ct))
        {
            existing.Add(reader.GetFieldValue<DateTimeOffset>(0));
        }

        return existing;
    }

    private static async Task Execute(NpgsqlConnection conn, string sql, CancellationToken ct, params object[] values)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        foreach (var value in values)
        {
            cmd.Parameters.AddWithValue(value);
        }

        await cmd.ExecuteNonQueryAsync(ct);
    }
}
