-- The running totals (0006) of each boundary once more, one row per tag key and boundary, its values' rows packed
-- into one bytea (TagSumPack, without last_seen). A ranking over a window ending in the past reads two boundaries:
-- 100,000 rows at 50,000 users, whose output and reading cost ~100 ms of both cores, where two packs of ~1 MB cost
-- PostgreSQL nothing to send. The aggregator packs a boundary that has none (RunningTotalPacks); a read falls back to
-- a boundary's rows while it has none.
CREATE TABLE IF NOT EXISTS llm_tag_running_total_packs (
    tag_key  text        NOT NULL,
    until    timestamptz NOT NULL,
    data     bytea       NOT NULL,
    PRIMARY KEY (tag_key, until)
);

ALTER TABLE llm_tag_running_total_packs ALTER COLUMN data SET STORAGE EXTERNAL;

-- Whatever changes a boundary's rows (late calls through the hourly rollups' trigger, re-pricing, upkeep, repair,
-- retention) deletes its pack in the same transaction: a pack that exists is current.
CREATE OR REPLACE FUNCTION llm_tag_running_total_packs_drop() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM llm_tag_running_total_packs p USING (SELECT DISTINCT tag_key, until FROM changed) c
    WHERE p.tag_key = c.tag_key AND p.until = c.until;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION llm_tag_running_total_packs_clear() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM llm_tag_running_total_packs;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS llm_tag_running_total_packs_insert ON llm_tag_running_totals;
CREATE TRIGGER llm_tag_running_total_packs_insert AFTER INSERT ON llm_tag_running_totals
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION llm_tag_running_total_packs_drop();

DROP TRIGGER IF EXISTS llm_tag_running_total_packs_update ON llm_tag_running_totals;
CREATE TRIGGER llm_tag_running_total_packs_update AFTER UPDATE ON llm_tag_running_totals
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION llm_tag_running_total_packs_drop();

DROP TRIGGER IF EXISTS llm_tag_running_total_packs_delete ON llm_tag_running_totals;
CREATE TRIGGER llm_tag_running_total_packs_delete AFTER DELETE ON llm_tag_running_totals
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION llm_tag_running_total_packs_drop();

DROP TRIGGER IF EXISTS llm_tag_running_total_packs_truncate ON llm_tag_running_totals;
CREATE TRIGGER llm_tag_running_total_packs_truncate AFTER TRUNCATE ON llm_tag_running_totals
    FOR EACH STATEMENT EXECUTE FUNCTION llm_tag_running_total_packs_clear();
