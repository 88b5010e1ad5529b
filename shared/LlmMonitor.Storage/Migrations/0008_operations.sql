-- Operations: every running instance of a service that uses the database (writer, aggregator, web-ui) beats here
-- every few seconds with its readiness; writers add when they last stored events and their latest ingest lag.
-- The web-ui's pipeline view reads it: an instance whose beat is stale, or that said it stopped, is not running.
CREATE TABLE service_heartbeats (
    instance           text PRIMARY KEY,      -- service@host:pid:suffix, new on every start
    service            text NOT NULL,
    host               text NOT NULL,
    started_at         timestamptz NOT NULL,
    beat_at            timestamptz NOT NULL,  -- the database's clock, so that hosts' clocks need not agree
    stopped_at         timestamptz,           -- set by a graceful stop
    ready              boolean NOT NULL,
    last_event_at      timestamptz,           -- writer: its latest commit that stored new events
    ingest_lag_seconds double precision,      -- writer: publish → commit of that batch's oldest message
    lag_measured_at    timestamptz
);
