-- Tag breakdowns: per hour × tag key × tag value, kept by the writer in the same statement as llm_events and
-- llm_rollup_hourly, so it always equals a GROUP BY over llm_events expanded by jsonb_each_text(tags).
CREATE TABLE IF NOT EXISTS llm_rollup_hourly_tags (
    hour               timestamptz NOT NULL,
    tag_key            text        NOT NULL,
    tag_value          text        NOT NULL,
    request_count      bigint      NOT NULL,
    error_count        bigint      NOT NULL,
    prompt_tokens      bigint      NOT NULL,
    completion_tokens  bigint      NOT NULL,
    total_tokens       bigint      NOT NULL,
    cost_usd           numeric     NOT NULL,  -- sum of the known costs
    unpriced_count     bigint      NOT NULL,  -- events whose cost is null
    PRIMARY KEY (tag_key, hour, tag_value)
);

-- The same per UTC day, for long ranges (30 days of user_id is 720 hours × 1,000 users otherwise).
-- Always the hourly rows summed per day: whatever changes llm_rollup_hourly_tags changes this too.
CREATE TABLE IF NOT EXISTS llm_rollup_daily_tags (
    day                timestamptz NOT NULL,
    tag_key            text        NOT NULL,
    tag_value          text        NOT NULL,
    request_count      bigint      NOT NULL,
    error_count        bigint      NOT NULL,
    prompt_tokens      bigint      NOT NULL,
    completion_tokens  bigint      NOT NULL,
    total_tokens       bigint      NOT NULL,
    cost_usd           numeric     NOT NULL,
    unpriced_count     bigint      NOT NULL,
    PRIMARY KEY (tag_key, day, tag_value)
);

-- Latency histogram per UTC day × model (provider and status summed), for percentiles over long ranges:
-- 30 days read ~25k rows here instead of ~1M hourly ones. Always llm_rollup_hourly_latency summed per day.
CREATE TABLE IF NOT EXISTS llm_rollup_daily_latency (
    day     timestamptz NOT NULL,
    model   text        NOT NULL,
    bucket  smallint    NOT NULL,
    count   bigint      NOT NULL,
    PRIMARY KEY (day, model, bucket)
);

-- Fill them from what is already stored; writers wait meanwhile, so nothing is counted twice or missed.
LOCK TABLE llm_events, llm_rollup_hourly_latency IN SHARE MODE;

INSERT INTO llm_rollup_hourly_tags (hour, tag_key, tag_value, request_count, error_count, prompt_tokens,
    completion_tokens, total_tokens, cost_usd, unpriced_count)
SELECT date_trunc('hour', e.timestamp, 'UTC'), t.key, t.value, count(*), count(*) FILTER (WHERE e.status = 'error'),
       sum(e.prompt_tokens), sum(e.completion_tokens), sum(e.total_tokens), coalesce(sum(e.cost_usd), 0),
       count(*) - count(e.cost_usd)
FROM llm_events e CROSS JOIN LATERAL jsonb_each_text(e.tags) t
GROUP BY 1, 2, 3
ON CONFLICT DO NOTHING;

INSERT INTO llm_rollup_daily_tags (day, tag_key, tag_value, request_count, error_count, prompt_tokens,
    completion_tokens, total_tokens, cost_usd, unpriced_count)
SELECT date_trunc('day', hour, 'UTC'), tag_key, tag_value, sum(request_count), sum(error_count), sum(prompt_tokens),
       sum(completion_tokens), sum(total_tokens), sum(cost_usd), sum(unpriced_count)
FROM llm_rollup_hourly_tags
GROUP BY 1, 2, 3
ON CONFLICT DO NOTHING;

INSERT INTO llm_rollup_daily_latency (day, model, bucket, count)
SELECT date_trunc('day', hour, 'UTC'), model, bucket, sum(count)
FROM llm_rollup_hourly_latency
GROUP BY 1, 2, 3
ON CONFLICT DO NOTHING;
