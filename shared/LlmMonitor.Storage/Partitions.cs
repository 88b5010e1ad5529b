using LlmMonitor.Events;
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

    /// <summary>Every UTC day of the <see cref="AcceptedWindow"/>, and one more day ahead for slack.</summary>
    public static (DateOnly From, DateOnly To) AcceptedDays(DateTimeOffset now, int retentionDays)
    {
        var window = AcceptedWindow.At(now, retentionDays);
        return (DateOnly.FromDateTime(window.Oldest.UtcDateTime), DateOnly.FromDateTime(window.Newest.UtcDateTime).AddDays(1));
    }

    /// <returns>How many partitions were created, and the days that now all have one.</returns>
    public async Task<(int Created, DateOnly From, DateOnly To)> EnsureAcceptedWindowAsync(DateTimeOffset now, int retentionDays, CancellationToken ct = default)
    {
        var (from, to) = AcceptedDays(now, retentionDays);
        return (await EnsureAsync(from, to, ct), from, to);
    }
}
