namespace LlmMonitor.WebUi.Queries;

/// <summary>
/// A ranking of a tag's values from the recent totals of one span, @span (migrations 0009, 0010): the totals of the
/// hours [@since, @until), less the hours [@since, @h0) and the raw minutes from @h0 to the window's start (or plus those
/// from the start to @h0 when @h0, the start's nearest hour, is after it), plus the hours from @until on, less
/// the raw minutes from the window's end on. Only the values with such corrections are computed one by one. Of the others the window's sums are the totals, so their
/// top @top by cost (with ties) come from the cost index: an uncorrected value below them cannot reach the page, since
/// at least that many uncorrected values rank before it. Orders must therefore begin with cost DESC. The distinct values,
/// requests and cost of the whole window are the totals' sums, changed by what the corrections change.
/// </summary>
public static class RecentRanking
{
    public const string Order = "cost DESC";

    public static string Ranked(TagValueSums sums, string order, RecentRows rows)
    {
        if (!order.StartsWith(Order, StringComparison.Ordinal))
        {
            throw new ArgumentException($"A ranking from the recent totals must be ordered by {Order} first.", nameof(order));
        }

        return $"""
            {Ctes(sums, rows)}
            SELECT v.tag_value, v.requests, v.errors, v.tokens, v.cost, v.unpriced, v.last_seen,
                   t.n + ch.n, (t.requests + ch.requests)::bigint, t.cost + ch.cost
            FROM (
                SELECT * FROM kept
                UNION ALL
                SELECT tag_value, requests, errors, tokens, cost, unpriced, last_seen FROM corrected WHERE requests > 0
            ) v
            CROSS JOIN totals t CROSS JOIN changes ch
            ORDER BY {order}
            LIMIT @limit OFFSET @offset
            """;
    }

    public static string Count(TagValueSums sums, RecentRows rows) => $"""
        {Ctes(sums, rows)}
        SELECT t.n + ch.n FROM totals t CROSS JOIN changes ch
        """;

    private static string Ctes(TagValueSums sums, RecentRows rows) => $"""
        WITH {rows.Prelude} corrections AS MATERIALIZED (
            SELECT tag_value, plain_sum(sign * request_count) AS request_count, plain_sum(sign * error_count) AS error_count,
                   plain_sum(sign * total_tokens) AS total_tokens, plain_sum(sign * cost_usd) AS cost_usd,
                   plain_sum(sign * unpriced_count) AS unpriced_count, max(last_seen) FILTER (WHERE sign > 0) AS last_seen
            FROM (
                {rows.Corrections(sums)}
            ) s (tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen, sign)
            WHERE {sums.ValueFilter}
            GROUP BY tag_value
        ), corrected AS MATERIALIZED (
            SELECT c.tag_value, coalesce(r.request_count, 0) + c.request_count AS requests,
                   coalesce(r.error_count, 0) + c.error_count AS errors, coalesce(r.total_tokens, 0) + c.total_tokens AS tokens,
                   coalesce(r.cost_usd, 0) + c.cost_usd AS cost, coalesce(r.unpriced_count, 0) + c.unpriced_count AS unpriced,
                   CASE WHEN greatest(r.last_seen, c.last_seen) < @end THEN greatest(r.last_seen, c.last_seen) END AS last_seen,
                   coalesce(r.request_count, 0) > 0 AS counted, c.request_count AS more_requests, c.cost_usd AS more_cost
            FROM corrections c
            LEFT JOIN (SELECT * FROM {rows.Totals} WHERE {rows.Scope}) r ON r.tag_value = c.tag_value
        ), kept AS (
            SELECT tag_value, request_count AS requests, error_count AS errors, total_tokens AS tokens, cost_usd AS cost,
                   unpriced_count AS unpriced, CASE WHEN last_seen < @end THEN last_seen END AS last_seen
            FROM {rows.Totals} r
            WHERE {rows.Scope} AND request_count > 0 AND {sums.ValueFilter}
              AND tag_value NOT IN (SELECT tag_value FROM corrections) -- hashed; an anti join would loop over the index's rows
            ORDER BY cost_usd DESC
            FETCH FIRST (@offset + @limit) ROWS WITH TIES
        ), totals AS (
            SELECT count(*) AS n, coalesce(sum(request_count), 0) AS requests, coalesce(sum(cost_usd), 0) AS cost
            FROM {rows.Totals}
            WHERE {rows.Scope} AND request_count > 0 AND {sums.ValueFilter}
        ), changes AS (
            SELECT count(*) FILTER (WHERE requests > 0) - count(*) FILTER (WHERE counted) AS n,
                   coalesce(sum(more_requests), 0) AS requests, coalesce(sum(more_cost), 0) AS cost
            FROM corrected
        )
        """;
}
