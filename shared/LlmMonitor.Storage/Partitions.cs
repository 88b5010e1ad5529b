using Npgsql;

namespace LlmMonitor.Storage;

/// <summary>Creates the daily partitions of llm_events (idempotent; safe from several processes).</summary>
public sealed class Partitions(NpgsqlDataSource db)
{
    public async Task<int> EnsureAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT llm_ensure_partitions($1, $2)");
        cmd.Parameters.AddWithValue(from);
        cmd.Parameters.AddWithValue(to);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Every day an event may be accepted for: the retention window up to one day ahead, plus a day of slack each side.</summary>
    public Task<int> EnsureAcceptedWindowAsync(DateTimeOffset now, int retentionDays, CancellationToken ct = default) =>
        EnsureAsync(DateOnly.FromDateTime(now.UtcDateTime).AddDays(-retentionDays - 1), DateOnly.FromDateTime(now.UtcDateTime).AddDays(2), ct);
}
