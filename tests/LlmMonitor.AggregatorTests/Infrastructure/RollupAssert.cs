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
        ("llm_rollup_hourly_histogram",
            $"""
            SELECT p, coalesce(model, ''), bucket, count(*)
            FROM (SELECT date_trunc('hour', e.timestamp, 'UTC') AS p, e.model, llm_latency_bucket(e.latency_ms) AS bucket
                  FROM {Events} AND e.latency_ms IS NOT NULL) x
            GROUP BY GROUPING SETS ((p, model, bucket), (p, bucket))
            """,
            "SELECT hour, model, first_bucket + i - 1, n FROM llm_rollup_hourly_histogram, unnest(counts) WITH ORDINALITY u(n, i) WHERE hour >= $1 AND n > 0"),
        ("llm_rollup_daily_histogram",
            $"""
            SELECT p, coalesce(model, ''), bucket, count(*)
            FROM (SELECT date_trunc('day', e.timestamp, 'UTC') AS p, e.model, llm_latency_bucket(e.latency_ms) AS bucket
                  FROM {Events} AND e.latency_ms IS NOT NULL) x
            GROUP BY GROUPING SETS ((p, model, bucket), (p, bucket))
            """,
            "SELECT day, model, first_bucket + i - 1, n FROM llm_rollup_daily_histogram, unnest(counts) WITH ORDINALITY u(n, i) WHERE day >= $1 AND n > 0"),
        ("llm_rollup_hourly_tags",
            $"""
            SELECT kv.key, date_trunc('hour', e.timestamp, 'UTC'), kv.value, count(*), count(*) FILTER (WHERE e.status = 'error'),
                   sum(e.prompt_tokens), sum(e.completion_tokens), sum(e.total_tokens), sum(e.cache_write_tokens),
                   sum(e.reasoning_tokens), coalesce(sum(e.cost_usd), 0), count(*) FILTER (WHERE e.cost_usd IS NULL), max(e.timestamp)
            FROM llm_events e, jsonb_each_text(e.tags) kv WHERE e.timestamp >= $1 GROUP BY 1, 2, 3
            """,
            """
            SELECT tag_key, hour, tag_value, request_count, error_count, prompt_tokens, completion_tokens, total_tokens, cache_write_tokens,
                   reasoning_tokens, cost_usd, unpriced_count, last_seen
            FROM llm_rollup_hourly_tags WHERE hour >= $1
            """),
        ("llm_rollup_daily_tags",
            $"""
            SELECT kv.key, date_trunc('day', e.timestamp, 'UTC'), kv.value, count(*), count(*) FILTER (WHERE e.status = 'error'),
                   sum(e.prompt_tokens), sum(e.completion_tokens), sum(e.total_tokens), sum(e.cache_write_tokens),
                   sum(e.reasoning_tokens), coalesce(sum(e.cost_usd), 0), count(*) FILTER (WHERE e.cost_usd IS NULL), max(e.timestamp)
            FROM llm_events e, jsonb_each_text(e.tags) kv WHERE e.timestamp >= $1 GROUP BY 1, 2, 3
            """,
            """
            SELECT tag_key, day, tag_value, request_count, error_count, prompt_tokens, completion_tokens, total_tokens, cache_write_tokens,
                   reasoning_tokens, cost_usd, unpriced_count, last_seen
            FROM llm_rollup_daily_tags WHERE day >= $1
            """),
        // Sessions and traces whose calls all fall from $1 on (one that began before keeps the totals of the calls retention dropped).
        ("llm_sessions",
            """
            SELECT session_id, (array_agg(user_id ORDER BY timestamp DESC, event_id DESC) FILTER (WHERE user_id IS NOT NULL))[1],
                   min(timestamp), max(timestamp), count(*), count(*) FILTER (WHERE status = 'error'), sum(total_tokens),
                   coalesce(sum(cost_usd), 0), count(*) - count(cost_usd), coalesce(sum(latency_ms::numeric), 0),
                   array_agg(DISTINCT model COLLATE "C" ORDER BY model COLLATE "C")
            FROM llm_events e WHERE session_id IS NOT NULL AND session_id NOT IN (SELECT session_id FROM llm_sessions WHERE first_seen < $1) GROUP BY 1 HAVING min(timestamp) >= $1
            """,
            """
            SELECT session_id, user_id, first_seen, last_seen, calls, errors, total_tokens, cost_usd, unpriced_count,
                   latency_ms_sum, models
            FROM llm_sessions WHERE first_seen >= $1
            """),
        ("llm_traces",
            """
            SELECT trace_id, min(timestamp), max(timestamp) FROM llm_events
            WHERE trace_id IS NOT NULL AND trace_id NOT IN (SELECT trace_id FROM llm_traces WHERE first_seen < $1)
            GROUP BY 1 HAVING min(timestamp) >= $1
            """,
            "SELECT trace_id, first_seen, last_seen FROM llm_traces WHERE first_seen >= $1"),
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

        var drifted = await db.ScalarAsync<long>(RunningTotals, from, since is null);
        Assert.True(drifted == 0, $"llm_tag_running_totals differs from a GROUP BY over llm_events in {drifted} rows");
        var recent = await db.ScalarAsync<long>(RecentTotals, from);
        Assert.True(recent == 0, $"llm_tag_recent_totals differs from a GROUP BY over llm_events in {recent} rows");
        var sessionHours = await db.ScalarAsync<long>(SessionHours);
        Assert.True(sessionHours == 0, $"llm_session_hours differs from a GROUP BY over llm_sessions in {sessionHours} rows");
    }

    /// <summary>The sessions per hour of their latest call, in all and per model, equal llm_sessions (which is checked above).</summary>
    private const string SessionHours = """
        WITH e AS (
            SELECT date_trunc('hour', s.last_seen, 'UTC'), m.model, count(*)
            FROM llm_sessions s CROSS JOIN LATERAL unnest('{""}'::text[] || s.models) m (model) GROUP BY 1, 2
        ), a AS (SELECT hour, model, sessions FROM llm_session_hours WHERE sessions <> 0)
        SELECT (SELECT count(*) FROM (SELECT * FROM e EXCEPT ALL SELECT * FROM a) missing)
             + (SELECT count(*) FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM e) extra)
        """;

    /// <summary>
    /// Each span's recent totals equal the calls of their hours (the spans whose hours are from $1 on: older calls may be gone).
    /// </summary>
    private const string RecentTotals = """
        WITH s AS (SELECT span_hours, since, until FROM llm_tag_recent_since WHERE since >= $1), e AS (
            SELECT s.span_hours, t.key, t.value, count(*), count(*) FILTER (WHERE e.status = 'error'), sum(e.total_tokens),
                   coalesce(sum(e.cost_usd), 0), count(*) - count(e.cost_usd)
            FROM s JOIN llm_events e ON e.timestamp >= s.since AND e.timestamp < s.until CROSS JOIN LATERAL jsonb_each_text(e.tags) t
            GROUP BY 1, 2, 3
        ), a AS (
            SELECT span_hours, tag_key, tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count
            FROM llm_tag_recent_totals JOIN s USING (span_hours) WHERE request_count <> 0 OR cost_usd <> 0
        )
        SELECT (SELECT count(*) FROM (SELECT * FROM e EXCEPT ALL SELECT * FROM a) missing)
             + (SELECT count(*) FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM e) extra)
        """;

    /// <summary>
    /// 'infinity' minus each boundary from $1 on equals the calls from that boundary to the latest one (migration 0013:
    /// 'infinity' holds the hours before the latest boundary); with nothing pruned ($2), 'infinity' alone equals all
    /// calls before the latest boundary (all calls when there is none).
    /// </summary>
    private const string RunningTotals = """
        WITH b AS (
            SELECT until FROM llm_tag_running_total_bounds WHERE until <> 'infinity' AND until >= $1
            UNION ALL SELECT '-infinity'::timestamptz WHERE $2
        ), e AS (
            SELECT b.until, t.key, t.value, count(*), count(*) FILTER (WHERE e.status = 'error'), sum(e.total_tokens),
                   coalesce(sum(e.cost_usd), 0), count(*) - count(e.cost_usd)
            FROM b JOIN llm_events e ON e.timestamp >= b.until AND e.timestamp < (
                SELECT coalesce(max(until), 'infinity') FROM llm_tag_running_total_bounds WHERE until <> 'infinity')
            CROSS JOIN LATERAL jsonb_each_text(e.tags) t
            GROUP BY 1, 2, 3
        ), a AS (
            SELECT * FROM (
                SELECT b.until, i.tag_key, i.tag_value, i.request_count - coalesce(p.request_count, 0) AS n,
                       i.error_count - coalesce(p.error_count, 0), i.total_tokens - coalesce(p.total_tokens, 0),
                       i.cost_usd - coalesce(p.cost_usd, 0) AS cost, i.unpriced_count - coalesce(p.unpriced_count, 0)
                FROM b CROSS JOIN llm_tag_running_totals i
                LEFT JOIN llm_tag_running_totals p ON p.until = b.until AND p.tag_key = i.tag_key AND p.tag_value = i.tag_value
                WHERE i.until = 'infinity') d
            WHERE n <> 0 OR cost <> 0
        )
        SELECT (SELECT count(*) FROM (SELECT * FROM e EXCEPT ALL SELECT * FROM a) missing)
             + (SELECT count(*) FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM e) extra)
        """;
}
