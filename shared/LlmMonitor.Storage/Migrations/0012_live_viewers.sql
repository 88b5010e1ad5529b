-- The web-uis that have a live view open, each with a lease it renews every 5 s while one is open (and deletes when
-- the last closes). Writers send stored calls with their fields in the notices only while a lease is current, and
-- their ids only otherwise: the fields cost PostgreSQL ~8 µs a stored call, worth it only when someone watches.
CREATE TABLE IF NOT EXISTS llm_live_viewers (
    web_ui text        PRIMARY KEY,
    until  timestamptz NOT NULL
);
