-- Tag sums per model, for the tag breakdown with a model filter (the dashboard with a model chosen), which otherwise
-- reads every raw call of its window. Kept by the aggregator's model-tag-rollup job from the raw calls of closed hours,
-- not by the writer: one more upsert per batch, of about as many rows as the tag rollup's, cost ingest 14-25 %.
--
-- So these lag the calls. llm_model_tag_hours records, per hour and model, the calls, cost and unpriced calls of
-- llm_rollup_hourly (kept in step with the calls by the writer) that the hour's rows were built from. An hour whose
-- figures there differ now (late calls, re-pricing, a repair, an hour not built yet) is stale: reads take its calls
-- raw, and the job rebuilds it.
CREATE TABLE IF NOT EXISTS llm_rollup_hourly_model_tags (
    model           text        NOT NULL,
    tag_key         text        NOT NULL,
    hour            timestamptz NOT NULL,
    tag_value       text        NOT NULL,
    request_count   bigint      NOT NULL,
    error_count     bigint      NOT NULL,
    total_tokens    bigint      NOT NULL,
    cost_usd        numeric     NOT NULL,
    unpriced_count  bigint      NOT NULL,
    last_seen       timestamptz NOT NULL,
    -- Covering: a window's rows of one model and key are read from the index alone, in hour order (a 30-day
    -- ranking of 50,000 users reads ~400,000 of them).
    PRIMARY KEY (model, tag_key, hour, tag_value)
        INCLUDE (request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen)
);

-- For building, moving and correcting by hours, across models and keys.
CREATE INDEX IF NOT EXISTS llm_rollup_hourly_model_tags_hour ON llm_rollup_hourly_model_tags (hour);

CREATE TABLE IF NOT EXISTS llm_model_tag_hours (
    model           text        NOT NULL,
    hour            timestamptz NOT NULL,
    request_count   bigint      NOT NULL,
    cost_usd        numeric     NOT NULL,
    unpriced_count  bigint      NOT NULL,
    PRIMARY KEY (model, hour)
);

-- As llm_tag_recent_totals (0009, 0010), per model: the sums of the built rows of the hours [since, until) of
-- llm_model_tag_recent_since, one row per span (7 and 30 days). The job adds what it builds inside a span and moves the spans.
CREATE TABLE IF NOT EXISTS llm_model_tag_recent_totals (
    span_hours      integer     NOT NULL,
    model           text        NOT NULL,
    tag_key         text        NOT NULL,
    tag_value       text        NOT NULL,
    request_count   bigint      NOT NULL,
    error_count     bigint      NOT NULL,
    total_tokens    bigint      NOT NULL,
    cost_usd        numeric     NOT NULL,
    unpriced_count  bigint      NOT NULL,
    last_seen       timestamptz,
    PRIMARY KEY (span_hours, model, tag_key, tag_value)
) WITH (fillfactor = 80, parallel_workers = 0);

CREATE INDEX IF NOT EXISTS llm_model_tag_recent_totals_by_cost ON llm_model_tag_recent_totals (span_hours, model, tag_key, cost_usd DESC);

-- The values whose calls all left a span, deleted after each move without scanning the table.
CREATE INDEX IF NOT EXISTS llm_model_tag_recent_totals_spent ON llm_model_tag_recent_totals (span_hours) WHERE request_count = 0;

CREATE TABLE IF NOT EXISTS llm_model_tag_recent_since (
    span_hours integer     PRIMARY KEY,
    since      timestamptz NOT NULL,
    until      timestamptz NOT NULL
);
