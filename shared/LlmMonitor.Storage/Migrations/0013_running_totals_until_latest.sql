-- The running totals' 'infinity' rows (0006) stop taking the writer's current calls: they now hold the hourly tag rows
-- of the hours before the latest boundary (the current hour's start, which partition upkeep adds every hour), and
-- reads add the hourly rows from that boundary on. Adding every batch's calls to them cost PostgreSQL more than any
-- other rollup (QueryBenchmark ingest-cost --without-running-totals). Partition upkeep moves them up with each new
-- latest boundary (RunningTotalBounds); with no finite boundary yet they hold every hour, as before.
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
    -- The running totals' 'infinity' rows hold the hours before the latest boundary; later hours are read from the
    -- hourly rollups, so the writer's current calls skip them too.
    latest timestamptz := coalesce((SELECT max(until) FROM llm_tag_running_total_bounds WHERE until <> 'infinity'), 'infinity');
    earlier boolean;
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
    IF TG_OP = 'DELETE' THEN
        earlier := EXISTS (SELECT FROM old_rows o WHERE o.hour < latest);
    ELSE
        earlier := EXISTS (SELECT FROM new_rows n WHERE n.hour < latest);
    END IF;
    IF NOT earlier THEN
        RETURN NULL;
    END IF;
    EXECUTE format($s$
        INSERT INTO llm_tag_running_totals AS t (tag_key, until, tag_value, request_count, error_count, total_tokens,
            cost_usd, unpriced_count, last_seen)
        SELECT c.tag_key, b.until, c.tag_value, sum(c.request_count), sum(c.error_count), sum(c.total_tokens),
               sum(c.cost_usd), sum(c.unpriced_count), max(c.last_seen)
        FROM (%s) c (tag_key, hour, tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen)
        JOIN llm_tag_running_total_bounds b ON b.until > c.hour AND c.hour < $1
        GROUP BY c.tag_key, b.until, c.tag_value
        ORDER BY c.tag_key COLLATE "C", b.until, c.tag_value COLLATE "C"
        ON CONFLICT (tag_key, until, tag_value) DO UPDATE SET
            request_count = t.request_count + excluded.request_count, error_count = t.error_count + excluded.error_count,
            total_tokens = t.total_tokens + excluded.total_tokens, cost_usd = t.cost_usd + excluded.cost_usd,
            unpriced_count = t.unpriced_count + excluded.unpriced_count,
            last_seen = greatest(t.last_seen, excluded.last_seen)
        $s$, changes) USING latest;
    RETURN NULL;
END
$$;

-- Writers wait while the rows are brought to the latest boundary, so that nothing is counted twice or missed.
LOCK TABLE llm_rollup_hourly_tags IN SHARE ROW EXCLUSIVE MODE;

UPDATE llm_tag_running_totals t SET request_count = t.request_count - h.request_count, error_count = t.error_count - h.error_count,
    total_tokens = t.total_tokens - h.total_tokens, cost_usd = t.cost_usd - h.cost_usd, unpriced_count = t.unpriced_count - h.unpriced_count
FROM (
    SELECT tag_key, tag_value, sum(request_count) AS request_count, sum(error_count) AS error_count, sum(total_tokens) AS total_tokens,
           sum(cost_usd) AS cost_usd, sum(unpriced_count) AS unpriced_count
    FROM llm_rollup_hourly_tags
    WHERE hour >= (SELECT max(until) FROM llm_tag_running_total_bounds WHERE until <> 'infinity')
    GROUP BY 1, 2
) h
WHERE t.until = 'infinity' AND t.tag_key = h.tag_key AND t.tag_value = h.tag_value;
