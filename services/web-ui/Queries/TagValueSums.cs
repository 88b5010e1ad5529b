namespace LlmMonitor.WebUi.Queries;

/// <summary>
/// A window's sums per value of the tag @key, as a subquery with the columns tag_value, requests, errors, tokens,
/// cost, unpriced and last_seen, read either directly (daily and hourly tag rollups and the raw edges of a
/// <see cref="TimeWindow"/>) or from the running totals (a <see cref="RunningTotalPlan"/>). Both equal a GROUP BY
/// over llm_events in the window.
/// </summary>
/// <param name="RawValue">The value in an llm_events row (the tag, or the column that the tag mirrors).</param>
/// <param name="ValueFilter">Which values count, as a condition on tag_value ("true" for all).</param>
public sealed record TagValueSums(string RawValue, string ValueFilter)
{
    public static readonly TagValueSums Tag = new("tags ->> @key", "true");

    internal const string Sums = "tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen";

    internal string RawRow => $"{RawValue}, 1, (status = 'error')::int, total_tokens, coalesce(cost_usd, 0), (cost_usd IS NULL)::int, timestamp";

    internal string RawWhere => $"{RawValue} IS NOT NULL";

    public string Direct => $"""
        SELECT tag_value, sum(request_count)::bigint AS requests, sum(error_count)::bigint AS errors,
               sum(total_tokens)::bigint AS tokens, sum(cost_usd) AS cost, sum(unpriced_count)::bigint AS unpriced,
               max(last_seen) AS last_seen
        FROM (
            SELECT {Sums} FROM llm_rollup_daily_tags WHERE tag_key = @key AND {WindowSql.Days}
            UNION ALL
            SELECT {Sums} FROM llm_rollup_hourly_tags WHERE tag_key = @key AND {WindowSql.HoursBesideDays}
            UNION ALL
            SELECT {RawRow} FROM {WindowSql.RawEdges("tags, user_id, status, total_tokens, cost_usd, timestamp", RawWhere)} raw
        ) s (tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen)
        WHERE {ValueFilter}
        GROUP BY tag_value
        """;

    /// <summary>
    /// <see cref="Direct"/> for one model, @model: the tag sums per model (migration 0016) of the window's whole hours
    /// that are not stale, the stale ones (@stale, <see cref="ModelTagStaleness"/>) and the raw edges read raw.
    /// </summary>
    public string DirectForModel => $"""
        WITH stale AS (SELECT unnest(@stale) AS hour)
        SELECT tag_value, sum(request_count)::bigint AS requests, sum(error_count)::bigint AS errors,
               sum(total_tokens)::bigint AS tokens, sum(cost_usd) AS cost, sum(unpriced_count)::bigint AS unpriced,
               max(last_seen) AS last_seen
        FROM (
            SELECT {Sums} FROM llm_rollup_hourly_model_tags
            WHERE model = @model AND tag_key = @key AND {WindowSql.Hours} AND hour NOT IN (SELECT hour FROM stale)
            UNION ALL
            {ModelTagStaleness.RawCalls(RawRow, RawWhere)}
            UNION ALL
            SELECT {RawRow} FROM {WindowSql.RawEdges("tags, user_id, model, status, total_tokens, cost_usd, timestamp", $"model = @model AND {RawWhere}")} raw
        ) s (tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen)
        WHERE {ValueFilter}
        GROUP BY tag_value
        """;

    /// <summary>
    /// The running totals' way: the 'infinity' rows (the hours before the latest boundary, @latest) minus the rows at
    /// @bound, corrected at the start, plus the hourly rows from @latest to the hour after the window's end, minus the raw
    /// rows after the end. last_seen is the value's latest call when that is before the window's end, and null when it
    /// has calls stamped later (the caller then reads directly: the window's latest call is not kept).
    /// </summary>
    public string Running => $"""
        -- Materialized: each read once, and joined by hashing (not 50,000 index probes, which the planner may pick).
        WITH bound AS MATERIALIZED (
            SELECT tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count
            FROM llm_tag_running_totals WHERE tag_key = @key AND until = @bound
        ), corrections AS MATERIALIZED (
            SELECT tag_value, sum(sign * request_count) AS request_count, sum(sign * error_count) AS error_count,
                   sum(sign * total_tokens) AS total_tokens, sum(sign * cost_usd) AS cost_usd,
                   sum(sign * unpriced_count) AS unpriced_count, max(last_seen) FILTER (WHERE sign > 0) AS last_seen
            FROM (
                SELECT {Sums}, @sign AS sign FROM llm_rollup_hourly_tags WHERE tag_key = @key AND hour >= @ch0 AND hour < @ch1
                UNION ALL
                SELECT {Sums}, CASE WHEN hour < @latest THEN -1 ELSE 1 END FROM llm_rollup_hourly_tags
                WHERE tag_key = @key AND hour >= least(@latest, @th) AND hour < greatest(@latest, @th)
                UNION ALL
                SELECT {RawRow}, @sign FROM llm_events WHERE timestamp >= @cr0 AND timestamp < @cr1 AND {RawWhere}
                UNION ALL
                SELECT {RawRow}, -1 FROM llm_events WHERE timestamp >= @tr0 AND timestamp < @tr1 AND {RawWhere}
            ) s (tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen, sign)
            GROUP BY tag_value
        )
        SELECT * FROM (
            SELECT coalesce(i.tag_value, c.tag_value) AS tag_value,
                   coalesce(i.request_count, 0) - coalesce(b.request_count, 0) + coalesce(c.request_count, 0) AS requests,
                   coalesce(i.error_count, 0) - coalesce(b.error_count, 0) + coalesce(c.error_count, 0) AS errors,
                   coalesce(i.total_tokens, 0) - coalesce(b.total_tokens, 0) + coalesce(c.total_tokens, 0) AS tokens,
                   coalesce(i.cost_usd, 0) - coalesce(b.cost_usd, 0) + coalesce(c.cost_usd, 0) AS cost,
                   coalesce(i.unpriced_count, 0) - coalesce(b.unpriced_count, 0) + coalesce(c.unpriced_count, 0) AS unpriced,
                   CASE WHEN greatest(i.last_seen, c.last_seen) < @end THEN greatest(i.last_seen, c.last_seen) END AS last_seen
            FROM (SELECT * FROM llm_tag_running_totals WHERE tag_key = @key AND until = 'infinity') i
            FULL JOIN corrections c ON c.tag_value = i.tag_value
            LEFT JOIN bound b ON b.tag_value = coalesce(i.tag_value, c.tag_value)
        ) running
        WHERE requests > 0 AND {ValueFilter}
        """;
}
