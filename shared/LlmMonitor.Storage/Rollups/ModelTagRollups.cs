using LlmMonitor.Storage.Reads;
using Npgsql;

namespace LlmMonitor.Storage.Rollups;

/// <summary>
/// Keeps the tag sums per model (migration 0016) and their packs (0019) from the raw calls: rebuilds the stale hours from the start of the day
/// the longest recent span starts in (so that a window of whole days as long as that span is covered), newest first, and moves each span's totals to the hours before the current one, as the tag rollups' recent totals
/// (<see cref="RecentTotals"/>) are moved. Each step is one REPEATABLE READ transaction, so an hour's rows and the
/// llm_rollup_hourly figures recorded for it come from the same calls; runs are serialised by an advisory lock.
/// </summary>
public sealed partial class ModelTagRollups(NpgsqlDataSource db)
{
    /// <summary>
    /// The spans with recent totals per model: the last 7 and 30 days. Moving a span costs an upsert of an hour's rows
    /// in and one out (~0.9 s each for 12,000 rows on 10M calls); a day's rows of one model are read directly in
    /// ~45 ms (a week's take ~300), so the day's span is not kept.
    /// </summary>
    public static readonly int[] SpanHours = [168, 720];

    /// <summary>Hours rebuilt per transaction.</summary>
    public const int HoursPerStep = 24;

    private const long LockKey = 0x6d6f64656c746167; // "modeltag"

    private const string Sums = "request_count, error_count, total_tokens, cost_usd, unpriced_count";

    /// <summary>Per hour and model: llm_rollup_hourly's figures against those the hour was built from.</summary>
    public const string HourFigures = """
        SELECT hour, model, sum(request_count) AS request_count, sum(cost_usd) AS cost_usd, sum(unpriced_count) AS unpriced_count
        FROM llm_rollup_hourly
        """;

    private const string StaleHours = $"""
        SELECT coalesce(r.hour, b.hour) AS hour
        FROM ({HourFigures} WHERE hour >= $1 AND hour < $2 GROUP BY hour, model) r
        FULL JOIN (SELECT * FROM llm_model_tag_hours WHERE hour >= $1 AND hour < $2) b ON b.hour = r.hour AND b.model = r.model
        WHERE (r.request_count, r.cost_usd, r.unpriced_count) IS DISTINCT FROM (b.request_count, b.cost_usd, b.unpriced_count)
        GROUP BY 1
        ORDER BY 1 DESC
        LIMIT $3
        """;

    /// <summary>The rows of the hours $1 (an array), from their calls: what the job builds and the rollup check expects.</summary>
    private const string HourRows = """
        SELECT e.model, t.key, date_trunc('hour', e.timestamp, 'UTC'), t.value, count(*), count(*) FILTER (WHERE e.status = 'error'),
               sum(e.total_tokens), coalesce(sum(e.cost_usd), 0), count(*) - count(e.cost_usd), max(e.timestamp)
        FROM unnest($1::timestamptz[]) h (hour)
        JOIN llm_events e ON e.timestamp >= h.hour AND e.timestamp < h.hour + interval '1 hour'
        CROSS JOIN LATERAL jsonb_each_text(e.tags) t
        GROUP BY 1, 2, 3, 4
        """;

    private const string Build = $"""
        INSERT INTO llm_rollup_hourly_model_tags (model, tag_key, hour, tag_value, {Sums}, last_seen)
        {HourRows}
        """;

    private const string Record = $"""
        INSERT INTO llm_model_tag_hours (hour, model, request_count, cost_usd, unpriced_count)
        {HourFigures} WHERE hour = ANY($1) GROUP BY hour, model
        """;

    private const string IntoTotals = """
        INSERT INTO llm_model_tag_recent_totals AS t (span_hours, model, tag_key, tag_value, request_count, error_count, total_tokens,
            cost_usd, unpriced_count, last_seen)
        """;

    private const string AddToTotals = """
        ON CONFLICT (span_hours, model, tag_key, tag_value) DO UPDATE SET
            request_count = t.request_count + excluded.request_count, error_count = t.error_count + excluded.error_count,
            total_tokens = t.total_tokens + excluded.total_tokens, cost_usd = t.cost_usd + excluded.cost_usd,
            unpriced_count = t.unpriced_count + excluded.unpriced_count, last_seen = greatest(t.last_seen, excluded.last_seen)
        """;

    /// <summary>Adds ($2 = 1) or subtracts ($2 = -1) the rows of the hours $1 to the totals of the spans holding them.</summary>
    private const string Apply = $"""
        {IntoTotals}
        SELECT s.span_hours, m.model, m.tag_key, m.tag_value, $2 * sum(m.request_count), $2 * sum(m.error_count), $2 * sum(m.total_tokens),
               $2 * sum(m.cost_usd), $2 * sum(m.unpriced_count), CASE WHEN $2 > 0 THEN max(m.last_seen) END
        FROM llm_rollup_hourly_model_tags m
        JOIN llm_model_tag_recent_since s ON m.hour >= s.since AND m.hour < s.until
        WHERE m.hour = ANY($1)
        GROUP BY 1, 2, 3, 4
        {AddToTotals}
        """;

    /// <summary>Adds ($4 = 1) or subtracts ($4 = -1) the rows of the hours [$1, $2) to span $3's totals.</summary>
    private const string Move = $"""
        {IntoTotals}
        SELECT $3, model, tag_key, tag_value, $4 * sum(request_count), $4 * sum(error_count), $4 * sum(total_tokens),
               $4 * sum(cost_usd), $4 * sum(unpriced_count), CASE WHEN $4 > 0 THEN max(last_seen) END
        FROM llm_rollup_hourly_model_tags
        WHERE hour >= $1 AND hour < $2
        GROUP BY 2, 3, 4
        {AddToTotals}
        """;

    /// <summary>Builds stale hours until none is left (or <paramref name="budget"/> is spent) and moves the spans.</summary>
    /// <returns>The hours built, and whether stale ones are left.</returns>
    public async Task<(int Built, bool More)> RefreshAsync(DateTimeOffset now, TimeSpan budget, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var built = 0;
        while (true)
        {
            var step = await StepAsync(now, ct);
            built += step;
            if (step < HoursPerStep)
            {
                return (built, false);
            }

            if (watch.Elapsed >= budget)
            {
                return (built, true);
            }
        }
    }

    /// <returns>The hours built.</returns>
    private async Task<int> StepAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await ExecuteAsync(conn, "SELECT pg_advisory_lock($1)", ct, LockKey);
        try
        {
            await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            var spans = await SpansAsync(conn, ct);
            var current = TimeWindow.FloorHour(now.ToUniversalTime());
            var oldest = TimeWindow.FloorDay(current.AddHours(-SpanHours.Max()));
            var stale = await ReadHoursAsync(conn, StaleHours, ct, oldest, current, HoursPerStep);
            if (stale.Length > 0)
            {
                await ExecuteAsync(conn, Apply, ct, stale, -1);
                await ExecuteAsync(conn, "DELETE FROM llm_rollup_hourly_model_tags WHERE hour = ANY($1)", ct, stale);
                await ExecuteAsync(conn, "DELETE FROM llm_model_tag_packs WHERE hour = ANY($1)", ct, stale);
                await ExecuteAsync(conn, "DELETE FROM llm_model_tag_hours WHERE hour = ANY($1)", ct, stale);
                await ExecuteAsync(conn, Build, ct, stale);
                await PackAsync(conn, stale, ct);
                await ExecuteAsync(conn, Record, ct, stale);
                await ExecuteAsync(conn, Apply, ct, stale, 1);
            }

            foreach (var (span, hours) in spans)
            {
                await MoveAsync(conn, span, hours, RecentTotals.HoursFor(now, span), ct);
            }

            await ExecuteAsync(conn, "DELETE FROM llm_model_tag_recent_totals WHERE request_count = 0", ct);
            await ExecuteAsync(conn, "DELETE FROM llm_rollup_hourly_model_tags WHERE hour < $1", ct, oldest);
            await ExecuteAsync(conn, "DELETE FROM llm_model_tag_packs WHERE hour < $1", ct, oldest);
            await ExecuteAsync(conn, "DELETE FROM llm_model_tag_hours WHERE hour < $1", ct, oldest);
            await tx.CommitAsync(ct);
            return stale.Length;
        }
        finally
        {
            await ExecuteAsync(conn, "SELECT pg_advisory_unlock($1)", CancellationToken.None, LockKey);
        }
    }

    /// <summary>
    /// Moves a span's totals to the hours <paramref name="to"/>: by the hours entering and leaving when it moves forward
    /// and overlaps, otherwise (its first time, or a clock set back) by summing them again.
    /// </summary>
    private static async Task MoveAsync(NpgsqlConnection conn, int span, (DateTimeOffset Since, DateTimeOffset Until)? from,
        (DateTimeOffset Since, DateTimeOffset Until) to, CancellationToken ct)
    {
        if (from == to)
        {
            return;
        }

        if (from is { } f && to.Since >= f.Since && to.Until >= f.Until && to.Since < f.Until)
        {
            await ExecuteAsync(conn, Move, ct, f.Until, to.Until, span, 1);
            await ExecuteAsync(conn, Move, ct, f.Since, to.Since, span, -1);
        }
        else
        {
            await ExecuteAsync(conn, "DELETE FROM llm_model_tag_recent_totals WHERE span_hours = $1", ct, span);
            await ExecuteAsync(conn, Move, ct, to.Since, to.Until, span, 1);
        }

        await ExecuteAsync(conn, """
            INSERT INTO llm_model_tag_recent_since (span_hours, since, until) VALUES ($1, $2, $3)
            ON CONFLICT (span_hours) DO UPDATE SET since = excluded.since, until = excluded.until
            """, ct, span, to.Since, to.Until);
    }

    /// <summary>Where each span's totals stand (null: none yet).</summary>
    private static async Task<Dictionary<int, (DateTimeOffset Since, DateTimeOffset Until)?>> SpansAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var spans = SpanHours.ToDictionary(h => h, _ => ((DateTimeOffset, DateTimeOffset)?)null);
        await using var cmd = new NpgsqlCommand("SELECT span_hours, since, until FROM llm_model_tag_recent_since", conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (spans.ContainsKey(reader.GetInt32(0)))
            {
                spans[reader.GetInt32(0)] = (reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2));
            }
        }

        return spans;
    }

    private static async Task<DateTimeOffset[]> ReadHoursAsync(NpgsqlConnection conn, string sql, CancellationToken ct, params object[] values)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        foreach (var value in values)
        {
            cmd.Parameters.AddWithValue(value);
        }

        var hours = new List<DateTimeOffset>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            hours.Add(reader.GetFieldValue<DateTimeOffset>(0));
        }

        return [.. hours];
    }

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
