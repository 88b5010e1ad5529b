-- Ids of events stored without a client timestamp. Such an event is stored at its receive time, which is
-- different on a client's retry, so the primary key of llm_events cannot recognise the copy. The writer
-- claims each such id here first, in the same transaction as the insert: the primary key makes two writers
-- that claim one id at once wait for each other, and an id claimed in the 24 hours before a copy's receive
-- time makes that copy a duplicate. The hourly partition-upkeep job forgets rows older than 25 hours.
CREATE TABLE IF NOT EXISTS llm_event_keys (
    event_id     uuid        PRIMARY KEY,
    received_at  timestamptz NOT NULL
);
