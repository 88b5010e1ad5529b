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

    /// <summary>A group's sums of <see cref="Sums"/>' columns, as requests, errors, tokens, cost, unpriced and last_seen.</summary>
    private const string Summed = """
        plain_sum(request_count) AS requests, plain_sum(error_count) AS errors, plain_sum(total_tokens) AS tokens,
               plain_sum(cost_usd) AS cost, plain_sum(unpriced_count) AS unpriced, max(last_seen) AS last_seen
        """;

    private string RawCounts => $"{RawValue}, 1, (status = 'error')::int, total_tokens, coalesce(cost_usd, 0), (cost_usd IS NULL)::int";

    internal string RawRow => $"{RawCounts}, timestamp";

    internal string RawWhere => $"{RawValue} IS NOT NULL";

    public string Direct => $"""
        SELECT tag_value, {Summed}
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
    /// <see cref="Direct"/> for one model, @model, grouped (see <see cref="ModelRows"/>).
    /// </summary>
    public string DirectForModel(bool anyStale) => $"""
        {OfModel(anyStale, $"tag_value, {Summed}")}
        GROUP BY tag_value
        """;

    /// <summary>
    /// The rows <see cref="DirectForModel"/> groups, one model's (@model) ungrouped, with the columns of <see cref="Sums"/>:
    /// the tag sums per model (migration 0016) of the window's whole hours that are not stale, the stale ones (@stale,
    /// <see cref="ModelTagStaleness"/>) and the raw edges read raw. Without stale hours (the usual case) the statement
    /// leaves them out: planning their lateral read over every partition of the window and filtering ~140,000 rows by
    /// them cost 40 ms of a 10-day ranking.
    /// </summary>
    public string ModelRows(bool anyStale) => OfModel(anyStale, Sums);

    private string OfModel(bool anyStale, string select)
    {
        var (stale, notStale, staleCalls) = anyStale
            ? ("WITH stale AS (SELECT unnest(@stale) AS hour)", "AND hour NOT IN (SELECT hour FROM stale)",
                $"{ModelTagStaleness.RawCalls(RawRow, RawWhere)} UNION ALL")
            : ("", "", "");
        return $"""
            {stale}
            SELECT {select}
            FROM (
                SELECT {Sums} FROM llm_rollup_hourly_model_tags
                WHERE model = @model AND tag_key = @key AND {WindowSql.Hours} {notStale}
                UNION ALL
                {staleCalls}
                SELECT {RawRow} FROM {WindowSql.RawEdges("tags, user_id, model, status, total_tokens, cost_usd, timestamp", $"model = @model AND {RawWhere}")} raw
            ) s ({Sums})
            WHERE {ValueFilter}
            """;
    }

    /// <summary>
    /// The running totals' way (<see cref="RunningTotalPlan"/>): the rows at the end's boundary (@eb) and its corrections,
    /// minus the rows at the start's (@sb) and its corrections. last_seen comes from the end's added corrections alone,
    /// which reach from some hour up to (or just past) the end: it is the value's latest call in the window when one of
    /// them holds a call before the end, and null otherwise (the caller then looks it up: the totals keep no latest call
    /// before an arbitrary point).
    /// </summary>
    public string Running => $"""
        WITH corrections AS (
            -- bigint, not sum's numeric: the arithmetic on every value below is then integer arithmetic.
            SELECT tag_value, plain_sum(sign * request_count) AS request_count, plain_sum(sign * error_count) AS error_count,
                   plain_sum(sign * total_tokens) AS total_tokens, plain_sum(sign * cost_usd) AS cost_usd,
                   plain_sum(sign * unpriced_count) AS unpriced_count, max(last_seen) FILTER (WHERE sign > 0) AS last_seen
            FROM (
                {Corrections("e", 1, lastSeen: true)}
                UNION ALL
                {Corrections("s", -1, lastSeen: false)}
            ) s (tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen, sign)
            GROUP BY tag_value
        )
        -- Joined, not grouped with the corrections: the two boundaries' ~50,000 rows each are hashed once, where
        -- grouping their union with the corrections took three times as long.
        SELECT * FROM (
            SELECT coalesce(e.tag_value, s.tag_value, c.tag_value) AS tag_value,
                   coalesce(e.request_count, 0) - coalesce(s.request_count, 0) + coalesce(c.request_count, 0) AS requests,
                   coalesce(e.error_count, 0) - coalesce(s.error_count, 0) + coalesce(c.error_count, 0) AS errors,
                   coalesce(e.total_tokens, 0) - coalesce(s.total_tokens, 0) + coalesce(c.total_tokens, 0) AS tokens,
                   coalesce(e.cost_usd, 0) - coalesce(s.cost_usd, 0) + coalesce(c.cost_usd, 0) AS cost,
                   coalesce(e.unpriced_count, 0) - coalesce(s.unpriced_count, 0) + coalesce(c.unpriced_count, 0) AS unpriced,
                   CASE WHEN c.last_seen < @end THEN c.last_seen END AS last_seen
            FROM (SELECT * FROM llm_tag_running_totals WHERE tag_key = @key AND until = @eb) e
            FULL JOIN (SELECT * FROM llm_tag_running_totals WHERE tag_key = @key AND until = @sb) s ON s.tag_value = e.tag_value
            FULL JOIN corrections c ON c.tag_value = coalesce(e.tag_value, s.tag_value)
        ) running
        WHERE requests > 0 AND {ValueFilter}
        """;

    /// <summary>
    /// What corrects the running-total row at one edge's boundary (parameters prefixed <paramref name="p"/>,
    /// <see cref="RunningEdge"/>) to the edge, times <paramref name="sign"/>: its hourly rows and raw calls. Their
    /// last_seen only when <paramref name="lastSeen"/>.
    /// </summary>
    private string Corrections(string p, int sign, bool lastSeen) => $"""
        SELECT {Counts}, {(lastSeen ? "last_seen" : "NULL::timestamptz")}, {sign} * @{p}hs FROM llm_rollup_hourly_tags
                WHERE tag_key = @key AND hour >= @{p}h0 AND hour < @{p}h1
                UNION ALL
                SELECT {RawCounts}, {(lastSeen ? "timestamp" : "NULL::timestamptz")}, {sign} * @{p}rs FROM llm_events
                WHERE timestamp >= @{p}r0 AND timestamp < @{p}r1 AND {RawWhere}
        """;
}
