-- The rankings read one span and tag key of llm_tag_recent_totals (at most one row per value: ~40,000 users over a
-- day, 50,000 over 30 days) and sum all of it for their totals. The table holds three spans and is rewritten every
-- hour, so it is large enough for PostgreSQL to plan that sum as a parallel scan, whose workers cost more than they
-- save: measured on 10M events, 67–127 ms in parallel against 15–20 ms serial, and /api/users?hours=24 went from
-- 137–163 ms to 85–110 ms without them.
ALTER TABLE llm_tag_recent_totals SET (parallel_workers = 0);
