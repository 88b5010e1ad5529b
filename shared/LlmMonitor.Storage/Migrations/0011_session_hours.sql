-- How many sessions have their latest call in each hour, in all (model '') and per model they called, so that the
-- sessions list's total over a month sums ~720 rows instead of counting a million sessions. The list counts the
-- sessions of its window's whole hours here and those of its partial first and last hours in llm_sessions.
CREATE TABLE IF NOT EXISTS llm_session_hours (
    hour      timestamptz NOT NULL,
    model     text        NOT NULL,
    sessions  bigint      NOT NULL,
    PRIMARY KEY (model, hour)
);

-- Every change of llm_sessions (writer, re-pricing, repair, retention) moves its sessions between hours in the same
-- transaction. A session counts at date_trunc('hour', last_seen) for '' and each of its models.
CREATE OR REPLACE FUNCTION llm_session_hours_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changes text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT last_seen, models, 1 FROM new_rows'
        WHEN 'UPDATE' THEN 'SELECT last_seen, models, 1 FROM new_rows UNION ALL SELECT last_seen, models, -1 FROM old_rows'
        ELSE 'SELECT last_seen, models, -1 FROM old_rows'
    END;
BEGIN
    -- Rows locked in key order, whoever writes, so that concurrent writers cannot deadlock here.
    EXECUTE format($s$
        INSERT INTO llm_session_hours AS h (hour, model, sessions)
        SELECT date_trunc('hour', c.last_seen, 'UTC'), m.model, sum(c.sign)
        FROM (%s) c (last_seen, models, sign)
        CROSS JOIN LATERAL unnest('{""}'::text[] || c.models) m (model)
        GROUP BY 1, 2
        HAVING sum(c.sign) <> 0
        ORDER BY m.model COLLATE "C", date_trunc('hour', c.last_seen, 'UTC')
        ON CONFLICT (model, hour) DO UPDATE SET sessions = h.sessions + excluded.sessions
        $s$, changes);
    IF TG_OP = 'DELETE' THEN
        DELETE FROM llm_session_hours WHERE sessions = 0;
    END IF;
    RETURN NULL;
END
$$;

-- Writers wait while the counts are filled, so that nothing is counted twice or missed.
LOCK TABLE llm_sessions IN SHARE ROW EXCLUSIVE MODE;

INSERT INTO llm_session_hours (hour, model, sessions)
SELECT date_trunc('hour', s.last_seen, 'UTC'), m.model, count(*)
FROM llm_sessions s CROSS JOIN LATERAL unnest('{""}'::text[] || s.models) m (model)
GROUP BY 1, 2
ON CONFLICT DO NOTHING;

-- Transition tables allow one event per trigger.
DROP TRIGGER IF EXISTS session_hours_insert ON llm_sessions;
DROP TRIGGER IF EXISTS session_hours_update ON llm_sessions;
DROP TRIGGER IF EXISTS session_hours_delete ON llm_sessions;
CREATE TRIGGER session_hours_insert AFTER INSERT ON llm_sessions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION llm_session_hours_apply();
CREATE TRIGGER session_hours_update AFTER UPDATE ON llm_sessions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION llm_session_hours_apply();
CREATE TRIGGER session_hours_delete AFTER DELETE ON llm_sessions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION llm_session_hours_apply();
