namespace LlmMonitor.Storage;

internal static class EventSql
{
    private const string Columns = """
        timestamp, event_id, model, provider, prompt_tokens, completion_tokens, total_tokens, cached_tokens,
        cache_write_tokens, reasoning_tokens, latency_ms, cost_usd, cost_source, trace_id, span_id, parent_span_id,
        session_id, user_id, status, error_message, tags, input, output
        """;

    public const string CopyEvents = $"COPY llm_events ({Columns}) FROM STDIN (FORMAT BINARY)";

    /// <summary>
    /// Claims the ids of events whose timestamp was defaulted; returns those not claimed in the 24 hours before
    /// their receive time (the new events). Sorted, so that two writers claiming overlapping ids lock them in
    /// the same order; a writer that meets an id another has claimed but not committed waits for it.
    /// </summary>
    public const string ClaimKeys = """
        INSERT INTO llm_event_keys AS k (event_id, received_at)
        SELECT id, at FROM unnest($1::uuid[], $2::timestamptz[]) AS c(id, at) ORDER BY id
        ON CONFLICT (event_id) DO UPDATE SET received_at = EXCLUDED.received_at
            WHERE k.received_at < EXCLUDED.received_at - interval '24 hours'
        RETURNING event_id
        """;

    public const string CreateStaging = """
        CREATE TEMP TABLE IF NOT EXISTS llm_events_staging (
            timestamp timestamptz, event_id uuid, model text, provider text, prompt_tokens integer,
            completion_tokens integer, total_tokens bigint, cached_tokens integer, cache_write_tokens integer,
            reasoning_tokens integer, latency_ms double precision, cost_usd numeric, cost_source text, trace_id text,
            span_id text, parent_span_id text, session_id text, user_id text, status text, error_message text, tags jsonb,
            input text, output text
        ) ON COMMIT DELETE ROWS
        """;

    public const string CopyStaging = $"COPY llm_events_staging ({Columns}) FROM STDIN (FORMAT BINARY)";

    // The conflict-proof path: ON CONFLICT skips stored events (also those a concurrent writer is committing),
    // and the ids returned are exactly the rows inserted, which the caller adds to the rollups.
    public const string InsertFromStaging = $"""
        INSERT INTO llm_events ({Columns})
        SELECT {Columns} FROM llm_events_staging
        ON CONFLICT DO NOTHING
        RETURNING event_id
        """;
}
