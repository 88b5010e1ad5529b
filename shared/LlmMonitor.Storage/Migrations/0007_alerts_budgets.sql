-- Alert rules and budgets: set through the web-ui's API, evaluated every minute by the aggregator (job
-- alert-evaluate). A change of state and the notifications it sends are written in one transaction: the deliveries
-- are an outbox, from which the aggregator enqueues one Hangfire job per delivery.

CREATE TABLE IF NOT EXISTS alert_rules (
    id                 bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name               text             NOT NULL,
    metric             text             NOT NULL CHECK (metric IN ('error_rate', 'cost_usd', 'p95_latency_ms', 'requests', 'total_tokens')),
    window_minutes     integer          NOT NULL CHECK (window_minutes BETWEEN 1 AND 1440),
    comparison         text             NOT NULL CHECK (comparison IN ('above', 'below')),
    threshold          double precision NOT NULL,
    filter_model       text,
    filter_tag_key     text,
    filter_tag_value   text,
    channels           jsonb            NOT NULL DEFAULT '[]',  -- [{"type", "url", "secret"}]
    enabled            boolean          NOT NULL DEFAULT true,
    state              text             NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'firing')),
    state_since        timestamptz,
    last_value         double precision,                        -- null: no value (no request in the window)
    last_evaluated_at  timestamptz,
    created_at         timestamptz      NOT NULL,
    updated_at         timestamptz      NOT NULL
);

-- Each change of state of a rule, newest last.
CREATE TABLE IF NOT EXISTS alert_events (
    id       bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_id  bigint           NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
    state    text             NOT NULL CHECK (state IN ('firing', 'resolved')),
    value    double precision,
    at       timestamptz      NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_events_rule ON alert_events (rule_id, id);

CREATE TABLE IF NOT EXISTS budgets (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name               text        NOT NULL,
    scope_model        text,
    scope_tag_key      text,
    scope_tag_value    text,
    per_key            text,                 -- every value of this tag key has a budget of its own
    period             text        NOT NULL CHECK (period IN ('day', 'month')),
    limit_usd          numeric     NOT NULL CHECK (limit_usd > 0),
    notify_at_percent  integer[]   NOT NULL,
    channels           jsonb       NOT NULL DEFAULT '[]',
    revision           integer     NOT NULL DEFAULT 1,  -- raised by an edit of what is counted or its limit
    last_evaluated_at  timestamptz,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);

-- A percent of a budget crossed in a period (for one value of per_key): notified once.
CREATE TABLE IF NOT EXISTS budget_crossings (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    budget_id     bigint      NOT NULL REFERENCES budgets (id) ON DELETE CASCADE,
    revision      integer     NOT NULL,
    period_start  timestamptz NOT NULL,
    key           text,                      -- the per_key value; null for a budget without per_key
    percent       integer     NOT NULL,
    spend_usd     numeric     NOT NULL,
    limit_usd     numeric     NOT NULL,
    at            timestamptz NOT NULL,
    UNIQUE NULLS NOT DISTINCT (budget_id, revision, period_start, key, percent)
);

-- One notification to one channel. The body is stored as sent, so that every retry sends (and signs) the same bytes.
CREATE TABLE IF NOT EXISTS notification_deliveries (
    id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_event_id      bigint      REFERENCES alert_events (id) ON DELETE CASCADE,
    budget_crossing_id  bigint      REFERENCES budget_crossings (id) ON DELETE CASCADE,
    channel_type        text        NOT NULL CHECK (channel_type IN ('webhook', 'slack')),
    url                 text        NOT NULL,
    secret              text,
    body                text        NOT NULL,
    created_at          timestamptz NOT NULL,
    job_id              text,                -- the Hangfire job that delivers it; null until enqueued
    attempts            integer     NOT NULL DEFAULT 0,
    claimed_until       timestamptz,         -- a job is sending it until then
    delivered_at        timestamptz,
    last_status         integer,             -- the receiver's last HTTP status
    last_error          text,
    CHECK ((alert_event_id IS NULL) <> (budget_crossing_id IS NULL))
);
CREATE INDEX IF NOT EXISTS notification_deliveries_unqueued ON notification_deliveries (id) WHERE job_id IS NULL;
CREATE INDEX IF NOT EXISTS notification_deliveries_alert_event ON notification_deliveries (alert_event_id);
CREATE INDEX IF NOT EXISTS notification_deliveries_budget_crossing ON notification_deliveries (budget_crossing_id);
