namespace LlmMonitor.Storage;

internal static class EventSql
{
    private const string Columns = """
        timestamp, event_id, model, provider, prompt_tokens, completion_tokens, total_tokens, cached_tokens,
        latency_ms, cost_usd, cost_source, status, error_message, tags, input, output
        """;

    public const string CreateStaging = """
        CREATE TEMP TABLE IF NOT EXISTS llm_events_staging (
            timestamp timestamptz, event_id uuid, model text, provider text, prompt_tokens integer,
            completion_tokens integer, total_tokens bigint, cached_tokens integer, latency_ms double precision,
            cost_usd numeric, cost_source text, status text, error_message text, tags jsonb, input text, output text,
            timestamp_defaulted boolean
        ) ON COMMIT DELETE ROWS
        """;

    public const string CopyStaging = $"COPY llm_events_staging ({Columns}, timestamp_defaulted) FROM STDIN (FORMAT BINARY)";

    // One statement: new rows only (ON CONFLICT skips stored ones; the caller has removed repeats inside the
    // batch), then exactly the rows that INSERT … RETURNING reports go into the rollups. Rollup rows are written
    // in key order so that concurrent batches lock them in the same order and cannot deadlock.
    public const string Merge = $"""
        WITH ins AS (
            INSERT INTO llm_events ({Columns})
            SELECT {Columns} FROM llm_events_staging s
            WHERE NOT (s.timestamp_defaulted AND EXISTS (SELECT 1 FROM llm_events e WHERE e.event_id = s.event_id))
            ON CONFLICT DO NOTHING
            RETURNING timestamp, model, provider, status, prompt_tokens, completion_tokens, total_tokens,
                      cached_tokens, cost_usd, latency_ms
        ), hourly AS (
            INSERT INTO llm_rollup_hourly AS r (hour, model, provider, status, request_count, prompt_tokens,
                completion_tokens, total_tokens, cached_tokens, cost_usd, unpriced_count, latency_count, latency_ms_sum)
            SELECT date_trunc('hour', timestamp), model, provider, status, count(*), sum(prompt_tokens),
                   sum(completion_tokens), sum(total_tokens), sum(cached_tokens), coalesce(sum(cost_usd), 0),
                   count(*) - count(cost_usd), count(latency_ms), coalesce(sum(latency_ms::numeric), 0)
            FROM ins
            GROUP BY 1, 2, 3, 4
            ORDER BY 1, 2, 3, 4
            ON CONFLICT (hour, model, provider, status) DO UPDATE SET
                request_count     = r.request_count + excluded.request_count,
                prompt_tokens     = r.prompt_tokens + excluded.prompt_tokens,
                completion_tokens = r.completion_tokens + excluded.completion_tokens,
                total_tokens      = r.total_tokens + excluded.total_tokens,
                cached_tokens     = r.cached_tokens + excluded.cached_tokens,
                cost_usd          = r.cost_usd + excluded.cost_usd,
                unpriced_count    = r.unpriced_count + excluded.unpriced_count,
                latency_count     = r.latency_count + excluded.latency_count,
                latency_ms_sum    = r.latency_ms_sum + excluded.latency_ms_sum
        ), latency AS (
            INSERT INTO llm_rollup_hourly_latency AS l (hour, model, provider, status, bucket, count)
            SELECT date_trunc('hour', timestamp), model, provider, status, llm_latency_bucket(latency_ms), count(*)
            FROM ins
            WHERE latency_ms IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5
            ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (hour, model, provider, status, bucket) DO UPDATE SET count = l.count + excluded.count
        )
        SELECT count(*) FROM ins
        """;
}
