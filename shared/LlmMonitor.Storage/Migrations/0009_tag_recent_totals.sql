-- The last day's sums per tag value, ordered by cost, so that the top of a day's ranking (the default dashboard and
-- users pages) reads the top of an index plus the values stamped near the window's edges, not a row per value.
--
-- llm_tag_recent_totals holds, per tag key and value, the sums of the hourly tag rollup rows with since <= hour < until
-- (llm_tag_recent_since; the aggregator's partition upkeep moves both up every hour, to 24 hours before the current
-- hour and to the current hour). A value with no such rows has no row. Reads add the hours from until on: so the
-- writer's current calls change nothing here, only late calls, re-pricing and repairs do.
CREATE TABLE IF NOT EXISTS llm_tag_recent_totals (
    tag_key         text        NOT NULL,
    tag_value       text        NOT NULL,
    request_count   bigint      NOT NULL,
    error_count     bigint      NOT NULL,
    total_tokens    bigint      NOT NULL,
    cost_usd        numeric     NOT NULL,
    unpriced_count  bigint      NOT NULL,
    last_seen       timestamptz,
    PRIMARY KEY (tag_key, tag_value)
) WITH (fillfactor = 80);

CREATE INDEX IF NOT EXISTS llm_tag_recent_totals_by_cost ON llm_tag_recent_totals (tag_key, cost_usd DESC);

CREATE TABLE IF NOT EXISTS llm_tag_recent_since (
    only_row boolean     PRIMARY KEY DEFAULT true CHECK (only_row),
    since    timestamptz NOT NULL,
    until    timestamptz NOT NULL
);

-- The running totals' trigger (0006) now keeps both. Deletes for rollup retention are left out of the running totals
-- only: they would not change a difference there, but here they would (and normally delete hours before since).
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
    recent boolean;
BEGIN
    -- The writer's current calls are after the last day's totals: checked first, as that is cheaper than the statement.
    -- (Separate statements: a transition table that the trigger lacks may not even be named in one.)
    IF TG_OP = 'DELETE' THEN
        recent := EXISTS (SELECT FROM old_rows o, llm_tag_recent_since r WHERE o.hour >= r.since AND o.hour < r.until);
    ELSE
        recent := EXISTS (SELECT FROM new_rows n, llm_tag_recent_since r WHERE n.hour >= r.since AND n.hour < r.until);
    END IF;
    IF recent THEN
    -- Rows locked in byte order of the key, whoever writes, so that concurrent writers cannot deadlock here.
    EXECUTE format($s$
        INSERT INTO llm_tag_recent_totals AS t (tag_key, tag_value, request_count, error_count, total_tokens, cost_usd,
            unpriced_count, last_seen)
        SELECT c.tag_key, c.tag_value, sum(c.request_count), sum(c.error_count), sum(c.total_tokens), sum(c.cost_usd),
               sum(c.unpriced_count), max(c.last_seen)
        FROM (%s) c (tag_key, hour, tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen)
        JOIN llm_tag_recent_since r ON c.hour >= r.since AND c.hour < r.until
        GROUP BY c.tag_key, c.tag_value
        ORDER BY c.tag_key COLLATE "C", c.tag_value COLLATE "C"
        ON CONFLICT (tag_key, tag_value) DO UPDATE SET
            request_count = t.request_count + excluded.request_count, error_count = t.error_count + excluded.error_count,
            total_tokens = t.total_tokens + excluded.total_tokens, cost_usd = t.cost_usd + excluded.cost_usd,
            unpriced_count = t.unpriced_count + excluded.unpriced_count,
            last_seen = greatest(t.last_seen, excluded.last_seen)
        $s$, changes);
    END IF;
    IF TG_OP = 'DELETE' AND current_setting('llm_monitor.pruning', true) = 'on' THEN
        RETURN NULL;
    END IF;
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

INSERT INTO llm_tag_recent_since (since, until)
VALUES (date_trunc('hour', now(), 'UTC') - interval '24 hours', date_trunc('hour', now(), 'UTC'))
ON CONFLICT DO NOTHING;

INSERT INTO llm_tag_recent_totals (tag_key, tag_value, request_count, error_count, total_tokens, cost_usd,
    unpriced_count, last_seen)
SELECT tag_key, tag_value, sum(request_count), sum(error_count), sum(total_tokens), sum(cost_usd),
       sum(unpriced_count), max(last_seen)
FROM llm_rollup_hourly_tags h
JOIN llm_tag_recent_since r ON h.hour >= r.since AND h.hour < r.until
GROUP BY tag_key, tag_value
ON CONFLICT DO NOTHING;
