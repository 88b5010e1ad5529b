namespace LlmMonitor.Storage;

internal static class EventSql
{
    private const string Columns = """
        timestamp, event_id, model, provider, prompt_tokens, completion_tokens, total_tokens, cached_tokens,
        latency_ms, cost_usd, cost_source, status, error_message, tags, input, output
        """;

    public const string CopyEvents = $"COPY llm_events ({Columns}) FROM STDIN (FORMAT BINARY)";

    public const string StoredIds = "SELECT event_id FROM llm_events WHERE event_id = ANY($1::uuid[])";

    public const string CreateStaging = """
        CREATE TEMP TABLE IF NOT EXISTS llm_events_staging (
            timestamp timestamptz, event_id uuid, model text, provider text, prompt_tokens integer,
            completion_tokens integer, total_tokens bigint, cached_tokens integer, latency_ms double precision,
            cost_usd numeric, cost_source text, status text, error_message text, tags jsonb, input text, output text,
            timestamp_defaulted boolean
        ) ON COMMIT DELETE ROWS
        """;

    public const string CopyStaging = $"COPY llm_events_staging ({Columns}, timestamp_defaulted) FROM STDIN (FORMAT BINARY)";

    // The conflict-proof path: ON CONFLICT skips stored events (also those a concurrent writer is committing),
    // and the ids returned are exactly the rows inserted, which the caller adds to the rollups.
    public const string InsertFromStaging = $"""
        INSERT INTO llm_events ({Columns})
        SELECT {Columns} FROM llm_events_staging s
        WHERE NOT (s.timestamp_defaulted AND EXISTS (SELECT 1 FROM llm_events e WHERE e.event_id = s.event_id))
        ON CONFLICT DO NOTHING
        RETURNING event_id
        """;
}
