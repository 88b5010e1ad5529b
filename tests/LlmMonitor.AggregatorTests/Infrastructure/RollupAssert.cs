namespace LlmMonitor.AggregatorTests.Infrastructure;

/// <summary>
/// The contract's check: every rollup table equals a plain GROUP BY over llm_events. Written here on its own
/// rather than borrowed from the aggregator's rollup check, so that it also checks that one.
/// </summary>
public static class RollupAssert
{
    private const string Events = "llm_events e WHERE e.timestamp >= $1";

    private static readonly (string Table, string Expected, string Actual)[] Checks =
    [
        ("llm_rollup_hourly",
            $"""
            SELECT date_trunc('hour', e.timestamp, 'UTC') AS hour, e.model, e.provider, e.status, count(*) AS n,
                   sum(e.prompt_tokens) AS p, sum(e.completion_tokens) AS c, sum(e.total_tokens) AS t, sum(e.cached_tokens) AS ca,
                   sum(e.cache_write_tokens) AS cw, sum(e.reasoning_tokens) AS r, coalesce(sum(e.cost_usd), 0) AS cost, count(*) FILTER (WHERE e.cost_usd IS NULL) AS unpriced,
                   count(e.latency_ms) AS lc, coalesce(sum(e.latency_ms::numeric), 0) AS ls
            FROM {Events} GROUP BY 1, 2, 3, 4
            """,
            """
            SELECT hour, model, provider, status, request_count, prompt_tokens, completion_tokens, total_tokens, cached_tokens,
                   cache_write_tokens, reasoning_tokens, cost_usd, unpriced_count, latency_count, latency_ms_sum
            FROM llm_rollup_hourly WHERE hour >= $1
            """),
        ("llm_rollup_hourly_latency",
            $"""
            SELECT date_trunc('hour', e.timestamp, 'UTC'), e.model, e.provider, e.status, llm_latency_bucket(e.latency_ms), count(*)
            FROM {Events} AND e.latency_ms IS NOT NULL GROUP BY 1, 2, 3, 4, 5
            """,
            "SELECT hour, model, provider, status, bucket, count FROM llm_rollup_hourly_latency WHERE hour >= $1"),
        ("llm_rollup_daily_latency",
            $"""
            SELECT date_trunc('day', e.timestamp, 'UTC'), e.model, llm_latency_bucket(e.latency_ms), count(*)
            FROM {Events} AND e.latency_ms IS NOT NULL GROUP BY 1, 2, 3
            """,
            "SELECT day, model, bucket, count FROM llm_rollup_daily_latency WHERE day >= $1"),
        ("llm_rollup_hourly_tags",
            $"""
            SELECT kv.key, date_trunc('hour', e.timestamp, 'UTC'), kv.value, count(*), count(*) FILTER (WHERE e.status = 'error'),
                   sum(e.prompt_tokens), sum(e.completion_tokens), sum(e.total_tokens), sum(e.cache_write_tokens),
                   sum(e.reasoning_tokens), coalesce(sum(e.cost_usd), 0), count(*) FILTER (WHERE e.cost_usd IS NULL)
            FROM llm_events e, jsonb_each_text(e.tags) kv WHERE e.timestamp >= $1 GROUP BY 1, 2, 3
            """,
            """
            SELECT tag_key, hour, tag_value, request_count, error_count, prompt_tokens, completion_tokens, total_tokens, cache_write_tokens,
                   reasoning_tokens, cost_usd, unpriced_count
            FROM llm_rollup_hourly_tags WHERE hour >= $1
            """),
        ("llm_rollup_daily_tags",
            $"""
            SELECT kv.key, date_trunc('day', e.timestamp, 'UTC'), kv.value, count(*), count(*) FILTER (WHERE e.status = 'error'),
                   sum(e.prompt_tokens), sum(e.completion_tokens), sum(e.total_tokens), sum(e.cache_write_tokens),
                   sum(e.reasoning_tokens), coalesce(sum(e.cost_usd), 0), count(*) FILTER (WHERE e.cost_usd IS NULL)
            FROM llm_events e, jsonb_each_text(e.tags) kv WHERE e.timestamp >= $1 GROUP BY 1, 2, 3
            """,
            """
            SELECT tag_key, day, tag_value, request_count, error_count, prompt_tokens, completion_tokens, total_tokens, cache_write_tokens,
                   reasoning_tokens, cost_usd, unpriced_count
            FROM llm_rollup_daily_tags WHERE day >= $1
            """),
    ];

    /// <summary>Every rollup table equals the GROUP BY, for the hours from <paramref name="since"/> on (default: all).</summary>
    public static async Task EqualsGroupByAsync(TestDatabase db, DateTimeOffset? since = null)
    {
        var from = since ?? DateTimeOffset.UnixEpoch;
        foreach (var (table, expected, actual) in Checks)
        {
            var differing = await db.ScalarAsync<long>($"""
                WITH e AS ({expected}), a AS ({actual})
                SELECT (SELECT count(*) FROM (SELECT * FROM e EXCEPT ALL SELECT * FROM a) missing)
                     + (SELECT count(*) FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM e) extra)
                """, from);
            Assert.True(differing == 0, $"{table} differs from a GROUP BY over llm_events in {differing} rows");
        }
    }
}
