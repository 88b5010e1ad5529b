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

    private const string Counts = "tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count";

    internal const string Sums = $"{Counts}, last_seen";

    private string RawCounts => $"{RawValue}, 1, (status = 'error')::int, total_tokens, coalesce(cost_usd, 0), (cost_usd IS NULL)::int";

    internal string RawRow => $"{RawCounts}, timestamp";

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
    /// The running totals' way (<see cref="RunningTotalPlan"/>): the rows at the end's boundary (@eb) and its corrections,
    /// minus the rows at the start's (@sb) and its corrections. last_seen comes from the end's added corrections alone,
    /// which reach from some hour up to (or just past) the end: it is the value's latest call in the window when one of
    /// them holds a call before the end, and null otherwise (the caller then looks it up: the totals keep no latest call
    /// before an arbitrary point).
    /// </summary>
    public string Running => $"""
        SELECT tag_value, sum(sign * request_count)::bigint AS requests, sum(sign * error_count)::bigint AS errors,
               sum(sign * total_tokens)::bigint AS tokens, sum(sign * cost_usd) AS cost, sum(sign * unpriced_count)::bigint AS unpriced,
               CASE WHEN max(last_seen) FILTER (WHERE sign > 0) < @end THEN max(last_seen) FILTER (WHERE sign > 0) END AS last_seen
        FROM (
            {Edge("e", 1, lastSeen: true)}
            UNION ALL
            {Edge("s", -1, lastSeen: false)}
        ) s (tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen, sign)
        WHERE {ValueFilter}
        GROUP BY tag_value
        HAVING sum(sign * request_count) > 0
        """;

    /// <summary>
    /// The sums before one edge of a <see cref="RunningEdge"/> (parameters prefixed <paramref name="p"/>), times
    /// <paramref name="sign"/>; the corrections' last_seen only when <paramref name="lastSeen"/>.
    /// </summary>
    private string Edge(string p, int sign, bool lastSeen)
    {
        var last = lastSeen ? "last_seen" : "NULL::timestamptz";
        var rawLast = lastSeen ? "timestamp" : "NULL::timestamptz";
        return $"""
            SELECT {Counts}, NULL::timestamptz, {sign} FROM llm_tag_running_totals WHERE tag_key = @key AND until = @{p}b
                UNION ALL
                SELECT {Counts}, {last}, {sign} * @{p}hs FROM llm_rollup_hourly_tags WHERE tag_key = @key AND hour >= @{p}h0 AND hour < @{p}h1
                UNION ALL
                SELECT {RawCounts}, {rawLast}, {sign} * @{p}rs FROM llm_events WHERE timestamp >= @{p}r0 AND timestamp < @{p}r1 AND {RawWhere}
            """;
    }
}
