-- Raw events, one row per event_id, partitioned by UTC day.
CREATE TABLE IF NOT EXISTS llm_events (
    timestamp          timestamptz      NOT NULL,
    event_id           uuid             NOT NULL,
    model              text             NOT NULL,
    provider           text             NOT NULL,
    prompt_tokens      integer          NOT NULL,
    completion_tokens  integer          NOT NULL,
    total_tokens       bigint           NOT NULL,
    cached_tokens      integer          NOT NULL,
    latency_ms         double precision,
    cost_usd           numeric,
    cost_source        text             NOT NULL CHECK (cost_source IN ('client', 'catalogue')),
    status             text             NOT NULL CHECK (status IN ('success', 'error')),
    error_message      text,
    tags               jsonb            NOT NULL DEFAULT '{}',
    input              text,
    output             text,
    created_at         timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (timestamp, event_id)
) PARTITION BY RANGE (timestamp);

-- Lookups by id (call details) and the duplicate check for events that arrived without a timestamp.
CREATE INDEX IF NOT EXISTS llm_events_event_id ON llm_events (event_id);

-- Creates the daily partitions for [from_day, to_day]; returns how many it created. Serialised by an
-- advisory lock so that services starting together do not race on the same partition.
CREATE OR REPLACE FUNCTION llm_ensure_partitions(from_day date, to_day date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    d date := from_day;
    part text;
    created integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('llm_events_partitions:' || current_schema()));
    WHILE d <= to_day LOOP
        part := 'llm_events_' || to_char(d, 'YYYYMMDD');
        IF to_regclass(format('%I.%I', current_schema(), part)) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF llm_events FOR VALUES FROM (%L) TO (%L)',
                part, (d::timestamp AT TIME ZONE 'UTC'), ((d + 1)::timestamp AT TIME ZONE 'UTC'));
            created := created + 1;
        END IF;
        d := d + 1;
    END LOOP;
    RETURN created;
END $$;

-- Latency histogram buckets: bucket 0 holds [0, 0.1 ms); bucket b >= 1 holds [0.1·1.06^(b-1), 0.1·1.06^b).
-- Reporting a bucket's geometric middle keeps any percentile within 3% of the exact value. Pure double
-- arithmetic, the same operations as LatencyHistogram.Bucket in C#, so both give the same bucket.
CREATE OR REPLACE FUNCTION llm_latency_bucket(latency_ms double precision) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN latency_ms IS NULL THEN NULL
        WHEN latency_ms < 0.1 THEN 0
        ELSE least(floor(ln(latency_ms / 0.1::double precision) / ln(1.06::double precision))::integer + 1, 32000)::smallint
    END
$$;

-- Hourly rollup, kept in the same transaction as the inserts into llm_events.
CREATE TABLE IF NOT EXISTS llm_rollup_hourly (
    hour               timestamptz NOT NULL,
    model              text        NOT NULL,
    provider           text        NOT NULL,
    status             text        NOT NULL,
    request_count      bigint      NOT NULL,
    prompt_tokens      bigint      NOT NULL,
    completion_tokens  bigint      NOT NULL,
    total_tokens       bigint      NOT NULL,
    cached_tokens      bigint      NOT NULL,
    cost_usd           numeric     NOT NULL,  -- sum of the known costs
    unpriced_count     bigint      NOT NULL,  -- events whose cost is null
    latency_count      bigint      NOT NULL,  -- events that carry a latency
    latency_ms_sum     numeric     NOT NULL,
    PRIMARY KEY (hour, model, provider, status)
);

CREATE TABLE IF NOT EXISTS llm_rollup_hourly_latency (
    hour      timestamptz NOT NULL,
    model     text        NOT NULL,
    provider  text        NOT NULL,
    status    text        NOT NULL,
    bucket    smallint    NOT NULL,
    count     bigint      NOT NULL,
    PRIMARY KEY (hour, model, provider, status, bucket)
);

-- The pricing catalogue; seeded from the built-in list, edited through the pricing API.
CREATE TABLE IF NOT EXISTS model_prices (
    model                         text        NOT NULL,
    effective_from                timestamptz NOT NULL,
    input_usd_per_million         numeric     NOT NULL CHECK (input_usd_per_million >= 0),
    output_usd_per_million        numeric     NOT NULL CHECK (output_usd_per_million >= 0),
    cached_input_usd_per_million  numeric              CHECK (cached_input_usd_per_million >= 0),
    source                        text        NOT NULL DEFAULT 'built-in',
    updated_at                    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model, effective_from)
);
