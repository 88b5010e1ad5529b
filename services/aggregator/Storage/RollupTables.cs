namespace LlmMonitor.Aggregator.Storage;

/// <summary>
/// Every rollup table, with what it must hold for a UTC day [$1, $2): a GROUP BY over llm_events, computed the way
/// the writer computes it. The rollup check compares the two and the repair rewrites the day from the GROUP BY.
/// </summary>
public sealed record RollupTable(string Name, string Columns, string KeyColumn, string Expected)
{
    public string Actual => $"SELECT {Columns} FROM {Name} WHERE {KeyColumn} >= $1 AND {KeyColumn} < $2";

    public string Drift => $"""
        WITH expected AS ({Expected}), actual AS ({Actual})
        SELECT (SELECT count(*) FROM (SELECT * FROM expected EXCEPT ALL SELECT * FROM actual) missing)
             + (SELECT count(*) FROM (SELECT * FROM actual EXCEPT ALL SELECT * FROM expected) extra)
        """;

    public string Delete => $"DELETE FROM {Name} WHERE {KeyColumn} >= $1 AND {KeyColumn} < $2";

    public string Insert => $"INSERT INTO {Name} ({Columns}) {Expected}";

    private const string Day = "e.timestamp >= $1 AND e.timestamp < $2";

    private const string TagSums = """
        count(*), count(*) FILTER (WHERE e.status = 'error'), sum(e.prompt_tokens), sum(e.completion_tokens),
        sum(e.total_tokens), sum(e.cache_write_tokens), sum(e.reasoning_tokens), coalesce(sum(e.cost_usd), 0),
        count(*) - count(e.cost_usd)
        """;

    private const string TagColumns = """
        tag_key, {0}, tag_value, request_count, error_count, prompt_tokens, completion_tokens, total_tokens, cache_write_tokens,
        reasoning_tokens, cost_usd, unpriced_count
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
        new("llm_rollup_hourly_latency", "hour, model, provider, status, bucket, count", "hour",
            $"""
            SELECT date_trunc('hour', timestamp, 'UTC'), model, provider, status, llm_latency_bucket(latency_ms), count(*)
            FROM llm_events e WHERE {Day} AND latency_ms IS NOT NULL GROUP BY 1, 2, 3, 4, 5
            """),
        new("llm_rollup_daily_latency", "day, model, bucket, count", "day",
            $"""
            SELECT date_trunc('day', timestamp, 'UTC'), model, llm_latency_bucket(latency_ms), count(*)
            FROM llm_events e WHERE {Day} AND latency_ms IS NOT NULL GROUP BY 1, 2, 3
            """),
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
    ];
}
