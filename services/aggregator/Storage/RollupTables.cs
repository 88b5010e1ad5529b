namespace LlmMonitor.Aggregator.Storage;

/// <summary>
/// Every rollup table, with what it must hold for a UTC day [$1, $2): a GROUP BY over llm_events, computed the way
/// the writer computes it. The rollup check compares the two and the repair rewrites the day from the GROUP BY.
/// </summary>
/// <param name="Scope">Narrows the day's rows of both sides (sessions and traces: those that began at most a week earlier).</param>
/// <param name="OnConflict">For tables keyed without the day: a row whose day was wrong is replaced, not duplicated.</param>
public sealed record RollupTable(string Name, string Columns, string KeyColumn, string Expected, string Scope = "", string OnConflict = "")
{
    public string Actual => $"SELECT {Columns} FROM {Name} WHERE {KeyColumn} >= $1 AND {KeyColumn} < $2{Scope}";

    public string Drift => $"""
        WITH expected AS ({Expected}), actual AS ({Actual})
        SELECT (SELECT count(*) FROM (SELECT * FROM expected EXCEPT ALL SELECT * FROM actual) missing)
             + (SELECT count(*) FROM (SELECT * FROM actual EXCEPT ALL SELECT * FROM expected) extra)
        """;

    public string Delete => $"DELETE FROM {Name} WHERE {KeyColumn} >= $1 AND {KeyColumn} < $2{Scope}";

    public string Insert => $"INSERT INTO {Name} ({Columns}) {Expected} {OnConflict}";

    private const string Day = "e.timestamp >= $1 AND e.timestamp < $2";

    private const string TagSums = """
        count(*), count(*) FILTER (WHERE e.status = 'error'), sum(e.prompt_tokens), sum(e.completion_tokens),
        sum(e.total_tokens), sum(e.cache_write_tokens), sum(e.reasoning_tokens), coalesce(sum(e.cost_usd), 0),
        count(*) - count(e.cost_usd), max(e.timestamp)
        """;

    private const string TagColumns = """
        tag_key, {0}, tag_value, request_count, error_count, prompt_tokens, completion_tokens, total_tokens, cache_write_tokens,
        reasoning_tokens, cost_usd, unpriced_count, last_seen
        """;

    /// <summary>How far back the check looks for the start of a session or trace that ended on the checked day.</summary>
    private const string Lookback = "$1 - interval '7 days'";

    private static string Histogram(string table, string period) => $"""
        SELECT p, model, min(bucket), llm_histogram_of(array_agg(bucket), array_agg(n))
        FROM (SELECT p, coalesce(model, '') AS model, bucket, count(*) AS n
              FROM (SELECT date_trunc('{period}', timestamp, 'UTC') AS p, model, llm_latency_bucket(latency_ms) AS bucket
                    FROM llm_events e WHERE {Day} AND latency_ms IS NOT NULL) x
              GROUP BY GROUPING SETS ((p, model, bucket), (p, bucket))) b
        GROUP BY 1, 2
        """;

    /// <summary>The groups (sessions or traces) whose latest call is on the day, over all their calls of the last week.</summary>
    private static string Groups(string table, string column, string sums) => $"""
        SELECT {column}, {sums}
        FROM llm_events e
        WHERE e.timestamp >= {Lookback}
          AND e.{column} IN (SELECT {column} FROM llm_events WHERE timestamp >= $1 AND timestamp < $2 AND {column} IS NOT NULL)
          AND e.{column} NOT IN (SELECT {column} FROM {table} WHERE first_seen < {Lookback})
        GROUP BY {column}
        HAVING max(e.timestamp) >= $1 AND max(e.timestamp) < $2
        """;

    public static IReadOnlyList<RollupTable> All { get; } =
    [
        new("llm_rollup_hourly",
            """
            hour, model, provider, status, request_count, prompt_tokens, completion_tokens, total_tokens, cached_tokens,
            cache_write_tokens, reasoning_tokens, cost_usd, unpriced_count, latency_count, latency_ms_sum
            """,
            "hour",
            $"""
            SELECT date_trunc('hour', timestamp, 'UTC'), model, provider, status, count(*), sum(prompt_tokens),
                   sum(completion_tokens), sum(total_tokens), sum(cached_tokens), sum(cache_write_tokens),
                   sum(reasoning_tokens), coalesce(sum(cost_usd), 0), count(*) - count(cost_usd), count(latency_ms),
                   coalesce(sum(latency_ms::numeric), 0)
            FROM llm_events e WHERE {Day} GROUP BY 1, 2, 3, 4
            """),
        new("llm_rollup_hourly_histogram", "hour, model, first_bucket, counts", "hour", Histogram("llm_rollup_hourly_histogram", "hour")),
        new("llm_rollup_daily_histogram", "day, model, first_bucket, counts", "day", Histogram("llm_rollup_daily_histogram", "day")),
        new("llm_rollup_hourly_tags", string.Format(System.Globalization.CultureInfo.InvariantCulture, TagColumns, "hour"), "hour",
            $"""
            SELECT t.key, date_trunc('hour', e.timestamp, 'UTC'), t.value, {TagSums}
            FROM llm_events e CROSS JOIN LATERAL jsonb_each_text(e.tags) t WHERE {Day} GROUP BY 1, 2, 3
            """),
        new("llm_rollup_daily_tags", string.Format(System.Globalization.CultureInfo.InvariantCulture, TagColumns, "day"), "day",
            $"""
            SELECT t.key, date_trunc('day', e.timestamp, 'UTC'), t.value, {TagSums}
            FROM llm_events e CROSS JOIN LATERAL jsonb_each_text(e.tags) t WHERE {Day} GROUP BY 1, 2, 3
            """),
        new("llm_sessions",
            """
            session_id, user_id, user_seen, user_event, first_seen, last_seen, calls, errors, total_tokens, cost_usd,
            unpriced_count, latency_ms_sum, models
            """,
            "last_seen",
            Groups("llm_sessions", "session_id", """
                (array_agg(user_id ORDER BY timestamp DESC, event_id DESC) FILTER (WHERE user_id IS NOT NULL))[1],
                max(timestamp) FILTER (WHERE user_id IS NOT NULL),
                (array_agg(event_id ORDER BY timestamp DESC, event_id DESC) FILTER (WHERE user_id IS NOT NULL))[1],
                min(timestamp), max(timestamp), count(*), count(*) FILTER (WHERE status = 'error'), sum(total_tokens),
                coalesce(sum(cost_usd), 0), count(*) - count(cost_usd), coalesce(sum(latency_ms::numeric), 0),
                array_agg(DISTINCT model COLLATE "C" ORDER BY model COLLATE "C")
                """),
            $" AND first_seen >= {Lookback}",
            """
            ON CONFLICT (session_id) DO UPDATE SET user_id = excluded.user_id, user_seen = excluded.user_seen,
                user_event = excluded.user_event, first_seen = excluded.first_seen, last_seen = excluded.last_seen,
                calls = excluded.calls, errors = excluded.errors, total_tokens = excluded.total_tokens,
                cost_usd = excluded.cost_usd, unpriced_count = excluded.unpriced_count,
                latency_ms_sum = excluded.latency_ms_sum, models = excluded.models
            """),
        new("llm_traces", "trace_id, first_seen, last_seen", "last_seen",
            Groups("llm_traces", "trace_id", "min(timestamp), max(timestamp)"),
            $" AND first_seen >= {Lookback}",
            "ON CONFLICT (trace_id) DO UPDATE SET first_seen = excluded.first_seen, last_seen = excluded.last_seen"),
    ];
}
