-- Sessions, traces and end users at 10M events, and latency histograms compact enough for long ranges.
-- Every table here is kept by the writer in the same transaction as llm_events, like the other rollups.

-- A latency histogram as one array: counts[i] is the number of latencies in bucket first_bucket + i - 1
-- (llm_latency_bucket). One row per hour (or day) and model instead of one per bucket, and one more for all models
-- together (model ''; no model has an empty name): 30 days of hourly percentiles read 720 rows, not ~750k.
CREATE OR REPLACE FUNCTION llm_histogram_of(buckets smallint[], counts bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_agg(coalesce(c.n, 0) ORDER BY i)
    FROM generate_series((SELECT min(b)::integer FROM unnest(buckets) b), (SELECT max(b)::integer FROM unnest(buckets) b)) i
    LEFT JOIN (SELECT u.b, sum(u.n) AS n FROM unnest(buckets, counts) u(b, n) GROUP BY u.b) c ON c.b = i
$$;

-- The sum of two histograms; the result starts at least(a_first, b_first).
CREATE OR REPLACE FUNCTION llm_histogram_add(a_first smallint, a bigint[], b_first smallint, b bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_agg(coalesce(a[i - a_first + 1], 0) + coalesce(b[i - b_first + 1], 0) ORDER BY i)
    FROM generate_series(least(a_first, b_first)::integer, greatest(a_first + cardinality(a), b_first + cardinality(b)) - 1) i
$$;

CREATE TABLE IF NOT EXISTS llm_rollup_hourly_histogram (
    hour          timestamptz NOT NULL,
    model         text        NOT NULL,
    first_bucket  smallint    NOT NULL,
    counts        bigint[]    NOT NULL,
    PRIMARY KEY (hour, model)
);

CREATE TABLE IF NOT EXISTS llm_rollup_daily_histogram (
    day           timestamptz NOT NULL,
    model         text        NOT NULL,
    first_bucket  smallint    NOT NULL,
    counts        bigint[]    NOT NULL,
    PRIMARY KEY (day, model)
);

-- Writers wait while the old tables are folded into the new ones, so nothing is counted twice or missed.
LOCK TABLE llm_events, llm_rollup_hourly_latency, llm_rollup_daily_latency, llm_rollup_hourly_tags, llm_rollup_daily_tags
    IN SHARE ROW EXCLUSIVE MODE;

INSERT INTO llm_rollup_hourly_histogram (hour, model, first_bucket, counts)
SELECT hour, model, min(bucket), llm_histogram_of(array_agg(bucket), array_agg(n))
FROM (SELECT hour, coalesce(model, '') AS model, bucket, sum(count)::bigint AS n FROM llm_rollup_hourly_latency
      GROUP BY GROUPING SETS ((hour, model, bucket), (hour, bucket))) l
GROUP BY hour, model
ON CONFLICT DO NOTHING;

INSERT INTO llm_rollup_daily_histogram (day, model, first_bucket, counts)
SELECT day, model, min(bucket), llm_histogram_of(array_agg(bucket), array_agg(n))
FROM (SELECT day, coalesce(model, '') AS model, bucket, sum(count)::bigint AS n FROM llm_rollup_daily_latency
      GROUP BY GROUPING SETS ((day, model, bucket), (day, bucket))) l
GROUP BY day, model
ON CONFLICT DO NOTHING;

DROP TABLE llm_rollup_hourly_latency;
DROP TABLE llm_rollup_daily_latency;

-- The user_id field is also kept as the tag user_id (the validator adds it), so that users are one tag's values:
-- the user list reads the tag rollups. Events stored before that get their tag here, and the tag rollups count them.
WITH tagged AS (
    UPDATE llm_events SET tags = tags || jsonb_build_object('user_id', user_id)
    WHERE user_id IS NOT NULL AND NOT tags ? 'user_id'
    RETURNING timestamp, user_id, status, prompt_tokens, completion_tokens, total_tokens, cache_write_tokens,
              reasoning_tokens, cost_usd
), hourly AS (
    INSERT INTO llm_rollup_hourly_tags AS r (tag_key, hour, tag_value, request_count, error_count, prompt_tokens,
        completion_tokens, total_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unpriced_count)
    SELECT 'user_id', date_trunc('hour', timestamp, 'UTC'), user_id, count(*), count(*) FILTER (WHERE status = 'error'),
           sum(prompt_tokens), sum(completion_tokens), sum(total_tokens), sum(cache_write_tokens), sum(reasoning_tokens),
           coalesce(sum(cost_usd), 0), count(*) - count(cost_usd)
    FROM tagged GROUP BY 2, 3
    ON CONFLICT (tag_key, hour, tag_value) DO UPDATE SET
        request_count = r.request_count + excluded.request_count, error_count = r.error_count + excluded.error_count,
        prompt_tokens = r.prompt_tokens + excluded.prompt_tokens, completion_tokens = r.completion_tokens + excluded.completion_tokens,
        total_tokens = r.total_tokens + excluded.total_tokens, cache_write_tokens = r.cache_write_tokens + excluded.cache_write_tokens,
        reasoning_tokens = r.reasoning_tokens + excluded.reasoning_tokens, cost_usd = r.cost_usd + excluded.cost_usd,
        unpriced_count = r.unpriced_count + excluded.unpriced_count
)
INSERT INTO llm_rollup_daily_tags AS r (tag_key, day, tag_value, request_count, error_count, prompt_tokens,
    completion_tokens, total_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unpriced_count)
SELECT 'user_id', date_trunc('day', timestamp, 'UTC'), user_id, count(*), count(*) FILTER (WHERE status = 'error'),
       sum(prompt_tokens), sum(completion_tokens), sum(total_tokens), sum(cache_write_tokens), sum(reasoning_tokens),
       coalesce(sum(cost_usd), 0), count(*) - count(cost_usd)
FROM tagged GROUP BY 2, 3
ON CONFLICT (tag_key, day, tag_value) DO UPDATE SET
    request_count = r.request_count + excluded.request_count, error_count = r.error_count + excluded.error_count,
    prompt_tokens = r.prompt_tokens + excluded.prompt_tokens, completion_tokens = r.completion_tokens + excluded.completion_tokens,
    total_tokens = r.total_tokens + excluded.total_tokens, cache_write_tokens = r.cache_write_tokens + excluded.cache_write_tokens,
    reasoning_tokens = r.reasoning_tokens + excluded.reasoning_tokens, cost_usd = r.cost_usd + excluded.cost_usd,
    unpriced_count = r.unpriced_count + excluded.unpriced_count;

-- The time of each tag value's latest call in the hour (day): a user's "last seen".
ALTER TABLE llm_rollup_hourly_tags ADD COLUMN IF NOT EXISTS last_seen timestamptz;
ALTER TABLE llm_rollup_daily_tags ADD COLUMN IF NOT EXISTS last_seen timestamptz;

UPDATE llm_rollup_hourly_tags r SET last_seen = m.last_seen
FROM (SELECT t.key, date_trunc('hour', e.timestamp, 'UTC') AS hour, t.value, max(e.timestamp) AS last_seen
      FROM llm_events e CROSS JOIN LATERAL jsonb_each_text(e.tags) t GROUP BY 1, 2, 3) m
WHERE r.tag_key = m.key AND r.hour = m.hour AND r.tag_value = m.value;

UPDATE llm_rollup_daily_tags r SET last_seen = m.last_seen
FROM (SELECT tag_key, date_trunc('day', hour, 'UTC') AS day, tag_value, max(last_seen) AS last_seen
      FROM llm_rollup_hourly_tags GROUP BY 1, 2, 3) m
WHERE r.tag_key = m.tag_key AND r.day = m.day AND r.tag_value = m.tag_value;

-- Sessions: one row per session_id, the totals of all its calls. The list reads it by last_seen; a session's
-- calls are read from llm_events between first_seen and last_seen (the primary key's range), so llm_events needs
-- no index on session_id (measured: indexes on the ids cost a third of the COPY rate).
CREATE TABLE IF NOT EXISTS llm_sessions (
    session_id      text        PRIMARY KEY,
    user_id         text,                    -- the user of its latest call that names one:
    user_seen       timestamptz,             --   that call's timestamp
    user_event      uuid,                    --   and event_id (the tie-break)
    first_seen      timestamptz NOT NULL,
    last_seen       timestamptz NOT NULL,
    calls           bigint      NOT NULL,
    errors          bigint      NOT NULL,
    total_tokens    bigint      NOT NULL,
    cost_usd        numeric     NOT NULL,    -- sum of the known costs
    unpriced_count  bigint      NOT NULL,
    latency_ms_sum  numeric     NOT NULL,
    models          text[]      NOT NULL     -- distinct, in byte order
);
CREATE INDEX IF NOT EXISTS llm_sessions_last_seen ON llm_sessions (last_seen);
CREATE INDEX IF NOT EXISTS llm_sessions_user ON llm_sessions (user_id, last_seen);

-- Traces: where in time each trace's calls are, for the same range read. No other index, so updates stay HOT.
CREATE TABLE IF NOT EXISTS llm_traces (
    trace_id    text        PRIMARY KEY,
    first_seen  timestamptz NOT NULL,
    last_seen   timestamptz NOT NULL
) WITH (fillfactor = 80);

INSERT INTO llm_sessions
SELECT session_id,
       (array_agg(user_id ORDER BY timestamp DESC, event_id DESC) FILTER (WHERE user_id IS NOT NULL))[1],
       max(timestamp) FILTER (WHERE user_id IS NOT NULL),
       (array_agg(event_id ORDER BY timestamp DESC, event_id DESC) FILTER (WHERE user_id IS NOT NULL))[1],
       min(timestamp), max(timestamp), count(*), count(*) FILTER (WHERE status = 'error'), sum(total_tokens),
       coalesce(sum(cost_usd), 0), count(*) - count(cost_usd), coalesce(sum(latency_ms::numeric), 0),
       array_agg(DISTINCT model COLLATE "C" ORDER BY model COLLATE "C")
FROM llm_events WHERE session_id IS NOT NULL
GROUP BY session_id
ON CONFLICT DO NOTHING;

INSERT INTO llm_traces
SELECT trace_id, min(timestamp), max(timestamp) FROM llm_events WHERE trace_id IS NOT NULL GROUP BY trace_id
ON CONFLICT DO NOTHING;
