using Npgsql;

namespace LlmMonitor.Aggregator.Storage;

/// <summary>
/// Removes a whole partition without blocking the writer or the dashboard: DETACH … CONCURRENTLY takes only a
/// SHARE UPDATE EXCLUSIVE lock on llm_events (a plain DROP of a partition would need ACCESS EXCLUSIVE on it), then
/// DROP TABLE of the detached table, which costs the same however many rows it holds. Every step can be repeated:
/// an interrupted detach is finalized and a left-over detached table is dropped on the next run.
/// </summary>
public sealed class PartitionDropper(NpgsqlDataSource db)
{
    public async Task DropAsync(EventPartition partition, CancellationToken ct)
    {
        var table = $"\"{partition.Name}\""; // the name matched ^llm_events_[0-9]{8}$
        if (partition.DetachPending)
        {
            await ExecuteAsync($"ALTER TABLE llm_events DETACH PARTITION {table} FINALIZE", ct);
        }
        else if (partition.Attached)
        {
            // Not inside a transaction block: PostgreSQL requires that for CONCURRENTLY.
            await ExecuteAsync($"ALTER TABLE llm_events DETACH PARTITION {table} CONCURRENTLY", ct);
        }

        await ExecuteAsync($"DROP TABLE IF EXISTS {table}", ct);
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
