-- The recent totals (0009) for the last 7 and 30 days too, so that the week's and month's rankings (the dashboard's
-- 7d and 30d ranges, /api/users?hours=720) read the top of a cost index like the day's, not two running-total rows
-- per value hash-joined.
--
-- Each span has a row in llm_tag_recent_since with the hours it holds, [current hour - span_hours, current hour), and
-- its totals are the rows of llm_tag_recent_totals with that span_hours. All spans end at the same hour.
ALTER TABLE llm_tag_recent_totals ADD COLUMN IF NOT EXISTS span_hours integer NOT NULL DEFAULT 24;
ALTER TABLE llm_tag_recent_totals ALTER COLUMN span_hours DROP DEFAULT;
ALTER TABLE llm_tag_recent_totals DROP CONSTRAINT llm_tag_recent_totals_pkey;
ALTER TABLE llm_tag_recent_totals ADD PRIMARY KEY (span_hours, tag_key, tag_value);
DROP INDEX llm_tag_recent_totals_by_cost;
CREATE INDEX llm_tag_recent_totals_by_cost ON llm_tag_recent_totals (span_hours, tag_key, cost_usd DESC);

ALTER TABLE llm_tag_recent_since ADD COLUMN IF NOT EXISTS span_hours integer NOT NULL DEFAULT 24;
ALTER TABLE llm_tag_recent_since ALTER COLUMN span_hours DROP DEFAULT;
ALTER TABLE llm_tag_recent_since DROP COLUMN only_row;
ALTER TABLE llm_tag_recent_since ADD PRIMARY KEY (span_hours);

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
    -- The writer's current calls are after every span's hours: checked first, as that is cheaper than the statement.
    -- (Separate statements: a transition table that the trigger lacks may not even be named in one.)
    IF TG_OP = 'DELETE' THEN
        recent := EXISTS (SELECT FROM old_rows o, llm_tag_recent_since r WHERE o.hour >= r.since AND o.hour < r.until);
    ELSE
        recent := EXISTS (SELECT FROM new_rows n, llm_tag_recent_since r WHERE n.hour >= r.since AND n.hour < r.until);
    END IF;
    IF recent THEN
    -- Rows locked in byte order of the key, whoever writes, so that concurrent writers cannot deadlock here.
    EXECUTE format($s$
        INSERT INTO llm_tag_recent_totals AS t (span_hours, tag_key, tag_value, request_count, error_count, total_tokens,
            cost_usd, unpriced_count, last_seen)
        SELECT r.span_hours, c.tag_key, c.tag_value, sum(c.request_count), sum(c.error_count), sum(c.total_tokens),
               sum(c.cost_usd), sum(c.unpriced_count), max(c.last_seen)
        FROM (%s) c (tag_key, hour, tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen)
        JOIN llm_tag_recent_since r ON c.hour >= r.since AND c.hour < r.until
        GROUP BY r.span_hours, c.tag_key, c.tag_value
        ORDER BY r.span_hours, c.tag_key COLLATE "C", c.tag_value COLLATE "C"
        ON CONFLICT (span_hours, tag_key, tag_value) DO UPDATE SET
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

-- Writers wait while the new spans are filled, so that nothing is counted twice or missed.
LOCK TABLE llm_rollup_hourly_tags IN SHARE ROW EXCLUSIVE MODE;

INSERT INTO llm_tag_recent_since (span_hours, since, until)
SELECT s.span_hours, d.until - make_interval(hours => s.span_hours), d.until
FROM (VALUES (168), (720)) s (span_hours)
CROSS JOIN (SELECT until FROM llm_tag_recent_since WHERE span_hours = 24) d
ON CONFLICT DO NOTHING;

INSERT INTO llm_tag_recent_totals (span_hours, tag_key, tag_value, request_count, error_count, total_tokens, cost_usd,
    unpriced_count, last_seen)
SELECT r.span_hours, tag_key, tag_value, sum(request_count), sum(error_count), sum(total_tokens), sum(cost_usd),
       sum(unpriced_count), max(last_seen)
FROM llm_rollup_hourly_tags h
JOIN llm_tag_recent_since r ON h.hour >= r.since AND h.hour < r.until
WHERE r.span_hours <> 24
GROUP BY r.span_hours, tag_key, tag_value
ON CONFLICT DO NOTHING;
