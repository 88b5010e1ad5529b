namespace LlmMonitor.Storage;

internal static class EventSql
{
    private const string Columns = """
        timestamp, event_id, model, provider, prompt_tokens, completion_tokens, total_tokens, cached_tokens,
        latency_ms, cost_usd, cost_source, status, error_message, tags, input, output
        """;

    public const string CreateStaging = """
        CREATE TEMP TABLE IF NOT EXISTS llm_events_staging (
            timestamp timestamptz, event_id uuid, model text, provider text, prompt_tokens integer,
            completion_tokens integer, total_tokens bigint, cached_tokens integer, latency_ms double precision,
            cost_usd numeric, cost_source text, status text, error_message text, tags jsonb, input text, output text,
            timestamp_defaulted boolean
        ) ON COMMIT DELETE ROWS
        """;

    public const string CopyStaging = $"COPY llm_events_staging ({Columns}, timestamp_defaulted) FROM STDIN (FORMAT BINARY)";

    // New rows only: ON CONFLICT skips stored ones (the caller has removed repeats inside the batch), and an
    // event that came without a timestamp is also looked up by its id alone. The ids returned are exactly the
    // rows inserted; the caller adds those, and only those, to the rollups (Rollups/RollupDelta) before commit.
    public const string Insert = $"""
        INSERT INTO llm_events ({Columns})
        SELECT {Columns} FROM llm_events_staging s
        WHERE NOT (s.timestamp_defaulted AND EXISTS (SELECT 1 FROM llm_events e WHERE e.event_id = s.event_id))
        ON CONFLICT DO NOTHING
        RETURNING event_id
        """;
}
