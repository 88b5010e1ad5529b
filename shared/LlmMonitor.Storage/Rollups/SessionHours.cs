using Npgsql;

namespace LlmMonitor.Storage.Rollups;

/// <summary>
/// Checks and repairs llm_session_hours (migration 0011), the number of sessions whose latest call is in each hour,
/// in all and per model, that its trigger keeps in step with llm_sessions.
/// </summary>
public sealed class SessionHours(NpgsqlDataSource db)
{
    private const string FromSessions = """
        SELECT date_trunc('hour', s.last_seen, 'UTC') AS hour, m.model, count(*) AS sessions
        FROM llm_sessions s CROSS JOIN LATERAL unnest('{""}'::text[] || s.models) m (model)
        GROUP BY 1, 2
        """;

    /// <summary>Hours and models whose count differs from llm_sessions. Takes no locks.</summary>
    private const string Drift = $"""
        SELECT count(*) FROM llm_session_hours h FULL JOIN ({FromSessions}) s USING (hour, model)
        WHERE coalesce(h.sessions, 0) <> coalesce(s.sessions, 0)
        """;

    /// <summary>How many hour and model counts disagree with llm_sessions (the rollup check).</summary>
    public async Task<long> CheckAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Drift);
        cmd.CommandTimeout = 0;
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Recounts every hour from llm_sessions, with writers held off meanwhile (the rollup check's repair).</summary>
    public async Task RebuildAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand($"""
            LOCK TABLE llm_sessions IN SHARE MODE;
            DELETE FROM llm_session_hours;
            INSERT INTO llm_session_hours (hour, model, sessions) {FromSessions};
            """, conn, tx) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }
}
