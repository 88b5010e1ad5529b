namespace LlmMonitor.Storage.Rollups;

internal static class RollupSql
{
    public const string Hourly = """
        INSERT INTO llm_rollup_hourly AS r (hour, model, provider, status, request_count, prompt_tokens,
            completion_tokens, total_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unpriced_count,
            latency_count, latency_ms_sum)
        SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[],
            $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::numeric[], $13::bigint[],
            $14::bigint[], $15::numeric[])
        ON CONFLICT (hour, model, provider, status) DO UPDATE SET
            request_count      = r.request_count + excluded.request_count,
            prompt_tokens      = r.prompt_tokens + excluded.prompt_tokens,
            completion_tokens  = r.completion_tokens + excluded.completion_tokens,
            total_tokens       = r.total_tokens + excluded.total_tokens,
            cached_tokens      = r.cached_tokens + excluded.cached_tokens,
            cache_write_tokens = r.cache_write_tokens + excluded.cache_write_tokens,
            reasoning_tokens   = r.reasoning_tokens + excluded.reasoning_tokens,
            cost_usd           = r.cost_usd + excluded.cost_usd,
            unpriced_count     = r.unpriced_count + excluded.unpriced_count,
            latency_count      = r.latency_count + excluded.latency_count,
            latency_ms_sum     = r.latency_ms_sum + excluded.latency_ms_sum
        """;

    public const string HourlyLatency = """
        INSERT INTO llm_rollup_hourly_latency AS l (hour, model, provider, status, bucket, count)
        SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::bigint[])
        ON CONFLICT (hour, model, provider, status, bucket) DO UPDATE SET count = l.count + excluded.count
        """;

    public const string DailyLatency = """
        INSERT INTO llm_rollup_daily_latency AS l (day, model, bucket, count)
        SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::smallint[], $4::bigint[])
        ON CONFLICT (day, model, bucket) DO UPDATE SET count = l.count + excluded.count
        """;

    private const string TagColumns = """
        request_count, error_count, prompt_tokens, completion_tokens, total_tokens, cache_write_tokens, reasoning_tokens,
            cost_usd, unpriced_count)
        SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[],
            $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::numeric[], $12::bigint[])
        """;

    private const string TagSums = """
        request_count = r.request_count + excluded.request_count, error_count = r.error_count + excluded.error_count,
        prompt_tokens = r.prompt_tokens + excluded.prompt_tokens, completion_tokens = r.completion_tokens + excluded.completion_tokens,
        total_tokens = r.total_tokens + excluded.total_tokens, cache_write_tokens = r.cache_write_tokens + excluded.cache_write_tokens,
        reasoning_tokens = r.reasoning_tokens + excluded.reasoning_tokens, cost_usd = r.cost_usd + excluded.cost_usd,
        unpriced_count = r.unpriced_count + excluded.unpriced_count
        """;

    public const string HourlyTags = $"""
        INSERT INTO llm_rollup_hourly_tags AS r (tag_key, hour, tag_value, {TagColumns}
        ON CONFLICT (tag_key, hour, tag_value) DO UPDATE SET {TagSums}
        """;

    public const string DailyTags = $"""
        INSERT INTO llm_rollup_daily_tags AS r (tag_key, day, tag_value, {TagColumns}
        ON CONFLICT (tag_key, day, tag_value) DO UPDATE SET {TagSums}
        """;
}
