-- The tag sums per model (0016) of each built hour once more, one row per model, tag key and hour, its values' rows
-- packed into one bytea (TagSumPack). A ranking of one model over a window no span serves reads these instead of
-- the rows: 10 days of gpt-4o's user_id at 10M calls a month are 240 packs of ~4 MB in all against 138,000 index
-- rows, whose scan alone took ~55 ms and their output and reading ~100 ms more, on both cores. Built and deleted by
-- the model-tag-rollup job with the hour's rows, in the same transaction, so a pack is current exactly when its rows are.
CREATE TABLE IF NOT EXISTS llm_model_tag_packs (
    model    text        NOT NULL,
    tag_key  text        NOT NULL,
    hour     timestamptz NOT NULL,
    data     bytea       NOT NULL,
    PRIMARY KEY (model, tag_key, hour)
);

-- Already compact: not compressed again (reading compressed packs would cost their decompression on every ranking).
ALTER TABLE llm_model_tag_packs ALTER COLUMN data SET STORAGE EXTERNAL;

CREATE INDEX IF NOT EXISTS llm_model_tag_packs_hour ON llm_model_tag_packs (hour);

-- The hours built before this have no packs: marked stale, so that the job builds them again, packs and all (reads
-- take their calls raw meanwhile).
DELETE FROM llm_model_tag_hours;
