-- The times of an hour's calls per tag value, while there are few of them (at most 64): the calls filtered by a rare
-- value (one end user among thousands) are then read by primary-key lookups instead of a scan back through the
-- partitions. The writer appends each batch's times in the statement that adds its counts; a row whose calls
-- outgrow the limit, or that a writer or repair without this column touched, holds NULL or fewer times than
-- request_count, and readers then read that hour's calls by time range instead. No backfill: older hours read by
-- range, as before.
ALTER TABLE llm_rollup_hourly_tags ADD COLUMN IF NOT EXISTS call_times timestamptz[];
