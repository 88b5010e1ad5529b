using Npgsql;

namespace LlmMonitor.Aggregator.Storage;

/// <summary>
/// Forgets the ids of timestamp-less events received more than a day ago: a copy is matched only against the
/// copies received in the 24 hours before it, so older claims no longer decide anything.
/// </summary>
public sealed class EventKeyPruner(NpgsqlDataSource db)
{
    private static readonly TimeSpan Kept = TimeSpan.FromHours(25);

    /// <returns>How many ids were forgotten.</returns>
    public async Task<int> PruneAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("DELETE FROM llm_event_keys WHERE received_at < $1");
        cmd.Parameters.AddWithValue(now - Kept);
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
