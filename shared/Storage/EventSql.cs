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

    private const string TagSums = """
        request_count = r.request_count + excluded.request_count, error_count = r.error_count + excluded.error_count,
        prompt_tokens = r.prompt_tokens + excluded.prompt_tokens, completion_tokens = r.completion_tokens + excluded.completion_tokens,
        total_tokens = r.total_tokens + excluded.total_tokens, cost_usd = r.cost_usd + excluded.cost_usd,
        unpriced_count = r.unpriced_count + excluded.unpriced_count
        """;

    public const string CopyStaging = $"COPY llm_events_staging ({Columns}, timestamp_defaulted) FROM STDIN (FORMAT BINARY)";

    // One statement: new rows only (ON CONFLICT skips stored ones; the caller has removed repeats inside the
    // batch), then exactly the rows that INSERT … RETURNING reports go into the rollups. Rollup rows are written
    // in key order so that concurrent batches lock them in the same order and cannot deadlock. The daily latency
    // and tag rollups are fed from the hourly aggregates (lat, tag), so they stay the hourly rows summed per UTC day.
    public const string Merge = $"""
        WITH ins AS (
            INSERT INTO llm_events ({Columns})
            SELECT {Columns} FROM llm_events_staging s
            WHERE NOT (s.timestamp_defaulted AND EXISTS (SELECT 1 FROM llm_events e WHERE e.event_id = s.event_id))
            ON CONFLICT DO NOTHING
            RETURNING timestamp, model, provider, status, prompt_tokens, completion_tokens, total_tokens,
                      cached_tokens, cost_usd, latency_ms, tags
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
        ), lat AS (
            SELECT date_trunc('hour', timestamp) AS hour, model, provider, status, llm_latency_bucket(latency_ms) AS bucket, count(*) AS n
            FROM ins
            WHERE latency_ms IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5
        ), latency AS (
            INSERT INTO llm_rollup_hourly_latency AS l (hour, model, provider, status, bucket, count)
            SELECT hour, model, provider, status, bucket, n FROM lat
            ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (hour, model, provider, status, bucket) DO UPDATE SET count = l.count + excluded.count
        ), latency_daily AS (
            INSERT INTO llm_rollup_daily_latency AS l (day, model, bucket, count)
            SELECT date_trunc('day', hour, 'UTC'), model, bucket, sum(n) FROM lat
            GROUP BY 1, 2, 3
            ORDER BY 1, 2, 3
            ON CONFLICT (day, model, bucket) DO UPDATE SET count = l.count + excluded.count
        ), tag AS (
            SELECT date_trunc('hour', i.timestamp) AS hour, t.key, t.value, count(*) AS requests,
                   count(*) FILTER (WHERE i.status = 'error') AS errors, sum(i.prompt_tokens) AS prompt_tokens,
                   sum(i.completion_tokens) AS completion_tokens, sum(i.total_tokens) AS total_tokens,
                   coalesce(sum(i.cost_usd), 0) AS cost_usd, count(*) - count(i.cost_usd) AS unpriced
            FROM ins i CROSS JOIN LATERAL jsonb_each_text(i.tags) t
            GROUP BY 1, 2, 3
        ), tags AS (
            INSERT INTO llm_rollup_hourly_tags AS r (tag_key, hour, tag_value, request_count, error_count, prompt_tokens,
                completion_tokens, total_tokens, cost_usd, unpriced_count)
            SELECT key, hour, value, requests, errors, prompt_tokens, completion_tokens, total_tokens, cost_usd, unpriced FROM tag
            ORDER BY 1, 2, 3
            ON CONFLICT (tag_key, hour, tag_value) DO UPDATE SET {TagSums}
        ), tags_daily AS (
            INSERT INTO llm_rollup_daily_tags AS r (tag_key, day, tag_value, request_count, error_count, prompt_tokens,
                completion_tokens, total_tokens, cost_usd, unpriced_count)
            SELECT key, date_trunc('day', hour, 'UTC'), value, sum(requests), sum(errors), sum(prompt_tokens),
                   sum(completion_tokens), sum(total_tokens), sum(cost_usd), sum(unpriced) FROM tag
            GROUP BY 1, 2, 3
            ORDER BY 1, 2, 3
            ON CONFLICT (tag_key, day, tag_value) DO UPDATE SET {TagSums}
        )
        SELECT count(*) FROM ins
        """;
}
