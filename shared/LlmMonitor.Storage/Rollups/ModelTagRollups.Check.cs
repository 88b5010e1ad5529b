using Npgsql;

namespace LlmMonitor.Storage.Rollups;

/// <summary>
/// The rollup check's part for the tag sums per model: built hours that are not stale whose rows differ from a GROUP
/// BY over their calls or whose packs differ from their rows, and span totals that differ from the sums of their hours' rows. Repaired by marking those hours
/// stale and, if the totals drifted, summing the spans again: then refreshed as the model-tag-rollup job would.
/// </summary>
public sealed partial class ModelTagRollups
{
    /// <summary>The hours whose rows or packs drifted, newest first, and how many span totals drifted.</summary>
    public sealed record Drift(DateTimeOffset[] Hours, long TotalsRows)
    {
        public bool Any => Hours.Length > 0 || TotalsRows > 0;
    }

    /// <summary>
    /// Built hours from $1 on whose figures in llm_rollup_hourly still match: not stale (a late call or a new price is
    /// the job's to rebuild).
    /// </summary>
    private const string FreshHours = $"""
        SELECT hour FROM (
            SELECT coalesce(r.hour, b.hour) AS hour, b.hour IS NOT NULL
                   AND (r.request_count, r.cost_usd, r.unpriced_count) IS NOT DISTINCT FROM (b.request_count, b.cost_usd, b.unpriced_count) AS fresh
            FROM ({HourFigures} WHERE hour >= $1 GROUP BY hour, model) r
            FULL JOIN (SELECT * FROM llm_model_tag_hours WHERE hour >= $1) b ON b.hour = r.hour AND b.model = r.model
        ) figures
        GROUP BY hour
        HAVING bool_and(fresh)
        """;

    /// <summary>The hours of $1 (an array) whose rows differ from those their calls build.</summary>
    private const string DriftedHours = $"""
        SELECT DISTINCT hour FROM (
            SELECT hour FROM (
                SELECT model, tag_key, hour, tag_value, {Sums}, last_seen, 1 FROM llm_rollup_hourly_model_tags WHERE hour = ANY($1)
                UNION ALL
                SELECT *, -1 FROM ({HourRows}) built
            ) s (model, tag_key, hour, tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen, sign)
            GROUP BY model, tag_key, hour, tag_value
            HAVING (sum(sign * request_count), sum(sign * error_count), sum(sign * total_tokens), sum(sign * cost_usd),
                    sum(sign * unpriced_count)) <> (0, 0, 0, 0, 0)
                OR max(last_seen) FILTER (WHERE sign > 0) IS DISTINCT FROM max(last_seen) FILTER (WHERE sign < 0)
        ) drifted
        ORDER BY 1 DESC
        """;

    private const string DriftedTotals = $"""
        SELECT count(*) FROM (
            SELECT 1 FROM (
                SELECT span_hours, model, tag_key, tag_value, {Sums}, 1 FROM llm_model_tag_recent_totals
                UNION ALL
                SELECT s.span_hours, m.model, m.tag_key, m.tag_value, {Sums}, -1
                FROM llm_rollup_hourly_model_tags m JOIN llm_model_tag_recent_since s ON m.hour >= s.since AND m.hour < s.until
            ) t (span_hours, model, tag_key, tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, sign)
            GROUP BY span_hours, model, tag_key, tag_value
            HAVING (sum(sign * request_count), sum(sign * error_count), sum(sign * total_tokens), sum(sign * cost_usd),
                    sum(sign * unpriced_count)) <> (0, 0, 0, 0, 0)
        ) drifted
        """;

    /// <summary>The drift of the hours from <paramref name="from"/> on and of the span totals, in one snapshot.</summary>
    public async Task<Drift> CheckAsync(DateTimeOffset from, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        // One snapshot: an hour whose calls change meanwhile is stale in it, not drifted.
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var fresh = await ReadHoursAsync(conn, FreshHours, ct, from);
        var rows = await ReadHoursAsync(conn, DriftedHours, ct, fresh);
        DateTimeOffset[] hours = [.. rows.Union(await DriftedPacksAsync(conn, fresh, ct)).OrderDescending()];
        await using var cmd = new NpgsqlCommand(DriftedTotals, conn) { CommandTimeout = 0 };
        return new(hours, (long)(await cmd.ExecuteScalarAsync(ct))!);
    }

    /// <summary>Marks the drifted hours stale, drops the span totals if they drifted, and refreshes.</summary>
    public async Task RepairAsync(Drift drift, DateTimeOffset now, CancellationToken ct)
    {
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            await ExecuteAsync(conn, "SELECT pg_advisory_lock($1)", ct, LockKey);
            try
            {
                await using var tx = await conn.BeginTransactionAsync(ct);
                await ExecuteAsync(conn, "DELETE FROM llm_model_tag_hours WHERE hour = ANY($1)", ct, drift.Hours);
                if (drift.TotalsRows > 0)
                {
                    // Without a recorded span a refresh sums each span's hours again.
                    await ExecuteAsync(conn, "DELETE FROM llm_model_tag_recent_totals", ct);
                    await ExecuteAsync(conn, "DELETE FROM llm_model_tag_recent_since", ct);
                }

                await tx.CommitAsync(ct);
            }
            finally
            {
                await ExecuteAsync(conn, "SELECT pg_advisory_unlock($1)", CancellationToken.None, LockKey);
            }
        }

        await RefreshAsync(now, TimeSpan.MaxValue, ct);
    }
}
