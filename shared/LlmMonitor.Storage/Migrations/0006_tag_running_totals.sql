-- Running totals per tag value, so that ranking 50,000 users (or any tag's values) over a window reads about two
-- rows per value instead of one per value and day (or hour) of the window.
--
-- A row (tag_key, until, tag_value) holds the sums of the hourly tag rollup rows of that value with hour < until;
-- until = 'infinity' holds all of them. Only differences are ever read: the sums of the hours [a, b) are the row
-- at b minus the row at a, and of the hours from a on, the 'infinity' row minus the row at a. So an hour the rollup
-- retention deletes (older than every boundary) may stay in all of them.
CREATE TABLE IF NOT EXISTS llm_tag_running_totals (
    tag_key         text        NOT NULL,
    until           timestamptz NOT NULL,
    tag_value       text        NOT NULL,
    request_count   bigint      NOT NULL,
    error_count     bigint      NOT NULL,
    total_tokens    bigint      NOT NULL,
    cost_usd        numeric     NOT NULL,
    unpriced_count  bigint      NOT NULL,
    last_seen       timestamptz,
    PRIMARY KEY (tag_key, until, tag_value)
) WITH (fillfactor = 80);

-- The boundaries that have rows (every UTC midnight of the event retention and every hour of the last two days,
-- written by the aggregator's partition upkeep), and 'infinity'.
-- A value without a row at a boundary has nothing before it.
CREATE TABLE IF NOT EXISTS llm_tag_running_total_bounds (
    until timestamptz PRIMARY KEY
);

-- Every change of the hourly tag rollups (writer, re-pricing, rollup repair) is added to the rows after its hour, in
-- the same transaction, so the running totals cannot drift from the rollups whoever changes them. Deleting whole
-- days for rollup retention (llm_monitor.pruning = 'on') changes no difference and is left out.
CREATE OR REPLACE FUNCTION llm_tag_running_totals_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changes text := CASE TG_OP
        WHEN 'INSERT' THEN $c$
            SELECT tag_key, hour, tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen
            FROM new_rows $c$
        WHEN 'UPDATE' THEN $c$
            SELECT n.tag_key, n.hour, n.tag_value, n.request_count - o.request_count, n.error_count - o.error_count,
                   n.total_tokens - o.total_tokens, n.cost_usd - o.cost_usd, n.unpriced_count - o.unpriced_count, n.last_seen
            FROM new_rows n JOIN old_rows o USING (tag_key, hour, tag_value) $c$
        ELSE $c$
            SELECT tag_key, hour, tag_value, -request_count, -error_count, -total_tokens, -cost_usd, -unpriced_count,
                   NULL::timestamptz
            FROM old_rows $c$
    END;
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('llm_monitor.pruning', true) = 'on' THEN
        RETURN NULL;
    END IF;
    -- Rows locked in byte order of the key, whoever writes, so that concurrent writers cannot deadlock here.
    EXECUTE format($s$
        INSERT INTO llm_tag_running_totals AS t (tag_key, until, tag_value, request_count, error_count, total_tokens,
            cost_usd, unpriced_count, last_seen)
        SELECT c.tag_key, b.until, c.tag_value, sum(c.request_count), sum(c.error_count), sum(c.total_tokens),
               sum(c.cost_usd), sum(c.unpriced_count), max(c.last_seen)
        FROM (%s) c (tag_key, hour, tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen)
        JOIN llm_tag_running_total_bounds b ON b.until > c.hour
        GROUP BY c.tag_key, b.until, c.tag_value
        ORDER BY c.tag_key COLLATE "C", b.until, c.tag_value COLLATE "C"
        ON CONFLICT (tag_key, until, tag_value) DO UPDATE SET
            request_count = t.request_count + excluded.request_count, error_count = t.error_count + excluded.error_count,
            total_tokens = t.total_tokens + excluded.total_tokens, cost_usd = t.cost_usd + excluded.cost_usd,
            unpriced_count = t.unpriced_count + excluded.unpriced_count,
            last_seen = greatest(t.last_seen, excluded.last_seen)
        $s$, changes);
    RETURN NULL;
END
$$;

-- Writers wait while the totals are filled, so that nothing is counted twice or missed.
LOCK TABLE llm_rollup_hourly_tags IN SHARE ROW EXCLUSIVE MODE;

INSERT INTO llm_tag_running_total_bounds VALUES ('infinity') ON CONFLICT DO NOTHING;

INSERT INTO llm_tag_running_totals (tag_key, until, tag_value, request_count, error_count, total_tokens, cost_usd,
    unpriced_count, last_seen)
SELECT tag_key, 'infinity', tag_value, sum(request_count), sum(error_count), sum(total_tokens), sum(cost_usd),
       sum(unpriced_count), max(last_seen)
FROM llm_rollup_hourly_tags
GROUP BY tag_key, tag_value
ON CONFLICT DO NOTHING;

-- Transition tables allow one event per trigger.
DROP TRIGGER IF EXISTS running_totals_insert ON llm_rollup_hourly_tags;
DROP TRIGGER IF EXISTS running_totals_update ON llm_rollup_hourly_tags;
DROP TRIGGER IF EXISTS running_totals_delete ON llm_rollup_hourly_tags;
CREATE TRIGGER running_totals_insert AFTER INSERT ON llm_rollup_hourly_tags
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION llm_tag_running_totals_apply();
CREATE TRIGGER running_totals_update AFTER UPDATE ON llm_rollup_hourly_tags
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION llm_tag_running_totals_apply();
CREATE TRIGGER running_totals_delete AFTER DELETE ON llm_rollup_hourly_tags
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION llm_tag_running_totals_apply();
