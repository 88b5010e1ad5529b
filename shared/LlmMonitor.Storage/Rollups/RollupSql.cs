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

    public static readonly string HourlyHistogram = Histogram("llm_rollup_hourly_histogram", "hour");

    public static readonly string DailyHistogram = Histogram("llm_rollup_daily_histogram", "day");

    /// <summary>Histograms (period, model, first bucket, offset and length of its counts in $6), added to the stored ones.</summary>
    private static string Histogram(string table, string period) => $"""
        INSERT INTO {table} AS h ({period}, model, first_bucket, counts)
        SELECT p, model, first_bucket, ($6::bigint[])[o:o + l - 1]
        FROM unnest($1::timestamptz[], $2::text[], $3::smallint[], $4::integer[], $5::integer[]) u(p, model, first_bucket, o, l)
        ORDER BY p, model COLLATE "C"
        ON CONFLICT ({period}, model) DO UPDATE SET
            first_bucket = least(h.first_bucket, excluded.first_bucket),
            counts = llm_histogram_add(h.first_bucket, h.counts, excluded.first_bucket, excluded.counts)
        """;

    private const string LaterUser = "(excluded.user_seen IS NOT NULL AND (s.user_seen IS NULL OR (excluded.user_seen, excluded.user_event) > (s.user_seen, s.user_event)))";

    public const string Sessions = $"""
        WITH m AS (
            SELECT sid, array_agg(DISTINCT model COLLATE "C" ORDER BY model COLLATE "C") AS models
            FROM unnest($13::text[], $14::text[]) u(sid, model) GROUP BY sid
        )
        INSERT INTO llm_sessions AS s (session_id, user_id, user_seen, user_event, first_seen, last_seen, calls, errors,
            total_tokens, cost_usd, unpriced_count, latency_ms_sum, models)
        SELECT u.*, m.models
        FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::uuid[], $5::timestamptz[], $6::timestamptz[], $7::bigint[],
                    $8::bigint[], $9::bigint[], $10::numeric[], $11::bigint[], $12::numeric[]) u(session_id)
        JOIN m ON m.sid = u.session_id
        ORDER BY u.session_id COLLATE "C"
        ON CONFLICT (session_id) DO UPDATE SET
            user_id        = CASE WHEN {LaterUser} THEN excluded.user_id ELSE s.user_id END,
            user_seen      = CASE WHEN {LaterUser} THEN excluded.user_seen ELSE s.user_seen END,
            user_event     = CASE WHEN {LaterUser} THEN excluded.user_event ELSE s.user_event END,
            first_seen     = least(s.first_seen, excluded.first_seen),
            last_seen      = greatest(s.last_seen, excluded.last_seen),
            calls          = s.calls + excluded.calls,
            errors         = s.errors + excluded.errors,
            total_tokens   = s.total_tokens + excluded.total_tokens,
            cost_usd       = s.cost_usd + excluded.cost_usd,
            unpriced_count = s.unpriced_count + excluded.unpriced_count,
            latency_ms_sum = s.latency_ms_sum + excluded.latency_ms_sum,
            models         = CASE WHEN excluded.models <@ s.models THEN s.models
                                  ELSE ARRAY(SELECT DISTINCT x COLLATE "C" FROM unnest(s.models || excluded.models) x ORDER BY 1) END
        """;

    public const string Traces = """
        INSERT INTO llm_traces AS t (trace_id, first_seen, last_seen)
        SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) u(trace_id) ORDER BY trace_id COLLATE "C"
        ON CONFLICT (trace_id) DO UPDATE SET first_seen = least(t.first_seen, excluded.first_seen), last_seen = greatest(t.last_seen, excluded.last_seen)
        WHERE excluded.first_seen < t.first_seen OR excluded.last_seen > t.last_seen
        """;

    private const string TagColumns = """
        request_count, error_count, prompt_tokens, completion_tokens, total_tokens, cache_write_tokens, reasoning_tokens,
            cost_usd, unpriced_count, last_seen
        """;

    private const string TagArrays = """
        $1::text[], $2::timestamptz[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[],
            $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::numeric[], $12::bigint[], $13::timestamptz[]
        """;

    private const string TagSums = """
        request_count = r.request_count + excluded.request_count, error_count = r.error_count + excluded.error_count,
        prompt_tokens = r.prompt_tokens + excluded.prompt_tokens, completion_tokens = r.completion_tokens + excluded.completion_tokens,
        total_tokens = r.total_tokens + excluded.total_tokens, cache_write_tokens = r.cache_write_tokens + excluded.cache_write_tokens,
        reasoning_tokens = r.reasoning_tokens + excluded.reasoning_tokens, cost_usd = r.cost_usd + excluded.cost_usd,
        unpriced_count = r.unpriced_count + excluded.unpriced_count, last_seen = greatest(r.last_seen, excluded.last_seen)
        """;

    /// <summary>
    /// The hourly rows also keep their calls' times, cut from the flat array $16 by offset $14 and length $15 (-1: too
    /// many), and appended to the stored ones while the row keeps them all and stays within the limit; NULL after that.
    /// </summary>
    public static readonly string HourlyTags = $"""
        INSERT INTO llm_rollup_hourly_tags AS r (tag_key, hour, tag_value, {TagColumns}, call_times)
        SELECT k, h, v, rc, ec, pt, ct, tt, cw, rt, cost, up, ls, CASE WHEN l >= 0 THEN ($16::timestamptz[])[o:o + l - 1] END
        FROM unnest({TagArrays}, $14::integer[], $15::integer[]) u(k, h, v, rc, ec, pt, ct, tt, cw, rt, cost, up, ls, o, l)
        ON CONFLICT (tag_key, hour, tag_value) DO UPDATE SET {TagSums},
            call_times = CASE WHEN cardinality(r.call_times) = r.request_count
                               AND cardinality(r.call_times) + cardinality(excluded.call_times) <= {RollupDelta.TagSums.MaxCallTimes}
                              THEN r.call_times || excluded.call_times END
        """;

    public const string DailyTags = $"""
        INSERT INTO llm_rollup_daily_tags AS r (tag_key, day, tag_value, {TagColumns})
        SELECT * FROM unnest({TagArrays})
        ON CONFLICT (tag_key, day, tag_value) DO UPDATE SET {TagSums}
        """;
}
