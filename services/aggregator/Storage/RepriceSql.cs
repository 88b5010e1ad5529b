namespace LlmMonitor.Aggregator.Storage;

/// <summary>
/// Re-pricing a chunk, in one transaction under the day's advisory lock: update the events whose stored cost differs
/// from the catalogue's, collect exactly old → new per rollup key, then add those differences to every rollup that
/// holds cost. Only re-pricing changes a stored event (the writer only inserts, and rows it has not committed are
/// not in this snapshot: it adds them to the rollups itself with the cost it gave them), so the old cost read here is
/// the one being replaced and the rollups move by exactly the difference. The rollup tables are then written in the
/// writer's order (hourly, hourly tags, daily tags, sessions), each in key order compared byte-wise as the writer's ordinal
/// sort does, so the two lock rows in the same order and cannot deadlock.
/// </summary>
internal static class RepriceSql
{
    /// <summary>Serialises every re-pricing of one UTC day (on-demand and nightly jobs, several aggregators).</summary>
    public const string LockDay = "SELECT pg_advisory_xact_lock(hashtext(format('llm_reprice:%s:%s', current_schema(), $1::date)))";

    public const string Models = """
        SELECT DISTINCT model FROM llm_events
        WHERE timestamp >= $1 AND timestamp < $2 AND cost_source = 'catalogue' AND (NOT $3 OR cost_usd IS NULL)
        """;

    public const string CreateHourlyDelta = """
        CREATE TEMP TABLE IF NOT EXISTS reprice_hourly_delta (
            hour timestamptz, model text, provider text, status text, events bigint, cost_delta numeric, unpriced_delta bigint
        ) ON COMMIT DELETE ROWS
        """;

    public const string CreateTagDelta = """
        CREATE TEMP TABLE IF NOT EXISTS reprice_tag_delta (
            hour timestamptz, key text, value text, cost_delta numeric, unpriced_delta bigint
        ) ON COMMIT DELETE ROWS
        """;

    public const string CreateSessionDelta = """
        CREATE TEMP TABLE IF NOT EXISTS reprice_session_delta (session_id text, cost_delta numeric, unpriced_delta bigint) ON COMMIT DELETE ROWS
        """;

    // Cost = ((prompt − cached − cache_write) × input + cached × cached-input + cache_write × cache-write (each the
    // input price where unset) + completion × output) / 10^6, ModelPrice.Cost's formula; multiplying by 0.000001
    // keeps numeric exact.
    public const string Update = """
        WITH price AS (
            SELECT * FROM unnest($3::text[], $4::timestamptz[], $5::timestamptz[], $6::numeric[], $7::numeric[], $8::numeric[],
                                 $9::numeric[])
                AS p(model, valid_from, valid_to, input, output, cached, cache_write)
        ), diff AS (
            SELECT e.timestamp, e.event_id, e.model, e.provider, e.status, e.tags, e.session_id, e.cost_usd AS old_cost, c.new_cost
            FROM llm_events e
            JOIN price p ON p.model = e.model AND e.timestamp >= p.valid_from AND e.timestamp < p.valid_to
            CROSS JOIN LATERAL (SELECT round(((e.prompt_tokens - e.cached_tokens - e.cache_write_tokens) * p.input
                                        + e.cached_tokens * coalesce(p.cached, p.input)
                                        + e.cache_write_tokens * coalesce(p.cache_write, p.input)
                                        + e.completion_tokens * p.output) * 0.000001, 12) AS new_cost) c
            WHERE e.timestamp >= $1 AND e.timestamp < $2
              AND e.cost_source = 'catalogue'
              AND (NOT $10 OR e.cost_usd IS NULL)
              AND e.cost_usd IS DISTINCT FROM c.new_cost
        ), upd AS (
            UPDATE llm_events e SET cost_usd = d.new_cost
            FROM diff d
            WHERE e.timestamp = d.timestamp AND e.event_id = d.event_id AND e.timestamp >= $1 AND e.timestamp < $2
            RETURNING d.timestamp, d.model, d.provider, d.status, d.tags, d.session_id,
                      coalesce(d.new_cost, 0) - coalesce(d.old_cost, 0) AS cost_delta,
                      (d.new_cost IS NULL)::integer - (d.old_cost IS NULL)::integer AS unpriced_delta
        ), hourly AS (
            INSERT INTO reprice_hourly_delta
            SELECT date_trunc('hour', timestamp, 'UTC'), model, provider, status, count(*), sum(cost_delta), sum(unpriced_delta)
            FROM upd GROUP BY 1, 2, 3, 4
        ), sessions AS (
            INSERT INTO reprice_session_delta
            SELECT session_id, sum(cost_delta), sum(unpriced_delta) FROM upd WHERE session_id IS NOT NULL GROUP BY 1
        ), tag_sets AS (
            -- Events share few distinct tag sets per hour: sum per set first, then expand each set's keys once.
            SELECT date_trunc('hour', timestamp, 'UTC') AS hour, tags, sum(cost_delta) AS cost_delta, sum(unpriced_delta) AS unpriced_delta
            FROM upd WHERE tags <> '{}' GROUP BY 1, 2
        )
        INSERT INTO reprice_tag_delta
        SELECT s.hour, t.key, t.value, sum(s.cost_delta), sum(s.unpriced_delta)
        FROM tag_sets s CROSS JOIN LATERAL jsonb_each_text(s.tags) t
        GROUP BY 1, 2, 3
        """;

    private const string CostDeltas = """
        cost_usd = r.cost_usd + excluded.cost_usd, unpriced_count = r.unpriced_count + excluded.unpriced_count
        """;

    public const string ApplyHourly = $"""
        INSERT INTO llm_rollup_hourly AS r (hour, model, provider, status, request_count, prompt_tokens,
            completion_tokens, total_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unpriced_count,
            latency_count, latency_ms_sum)
        SELECT hour, model, provider, status, 0, 0, 0, 0, 0, 0, 0, cost_delta, unpriced_delta, 0, 0 FROM reprice_hourly_delta
        ORDER BY hour, model COLLATE "C", provider COLLATE "C", status COLLATE "C"
        ON CONFLICT (hour, model, provider, status) DO UPDATE SET {CostDeltas}
        """;

    public const string ApplyHourlyTags = $"""
        INSERT INTO llm_rollup_hourly_tags AS r (tag_key, hour, tag_value, request_count, error_count, prompt_tokens,
            completion_tokens, total_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unpriced_count)
        SELECT key, hour, value, 0, 0, 0, 0, 0, 0, 0, cost_delta, unpriced_delta FROM reprice_tag_delta
        ORDER BY key COLLATE "C", hour, value COLLATE "C"
        ON CONFLICT (tag_key, hour, tag_value) DO UPDATE SET {CostDeltas}
        """;

    public const string ApplyDailyTags = $"""
        INSERT INTO llm_rollup_daily_tags AS r (tag_key, day, tag_value, request_count, error_count, prompt_tokens,
            completion_tokens, total_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unpriced_count)
        SELECT key, date_trunc('day', hour, 'UTC'), value, 0, 0, 0, 0, 0, 0, 0, sum(cost_delta), sum(unpriced_delta)
        FROM reprice_tag_delta
        GROUP BY 1, 2, 3
        ORDER BY key COLLATE "C", 2, value COLLATE "C"
        ON CONFLICT (tag_key, day, tag_value) DO UPDATE SET {CostDeltas}
        """;

    /// <summary>The sessions' rows locked in the writer's order (byte order of session_id) before they are updated.</summary>
    public const string LockSessions = """
        SELECT 1 FROM llm_sessions WHERE session_id IN (SELECT session_id FROM reprice_session_delta)
        ORDER BY session_id COLLATE "C" FOR UPDATE
        """;

    public const string ApplySessions = """
        UPDATE llm_sessions s SET cost_usd = s.cost_usd + d.cost_delta, unpriced_count = s.unpriced_count + d.unpriced_delta
        FROM reprice_session_delta d
        WHERE s.session_id = d.session_id
        """;

    public const string Changed = "SELECT coalesce(sum(events), 0)::bigint FROM reprice_hourly_delta";
}
