using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;

namespace LlmMonitor.Storage.Resilience;

/// <summary>
/// Reads that outlive a PostgreSQL restart. After a restart every idle connection in the pool is dead, and Npgsql
/// notices only when it uses one; so a read whose connection broke clears the pool and runs once more, on a new
/// connection. Also for writes that leave the same result however often they run, never for others.
/// </summary>
public sealed class ReadRetry(NpgsqlDataSource db, ILogger<ReadRetry> log)
{
    private readonly ResiliencePipeline _pipeline = PostgresRetry.OnceOnBrokenConnection(() => ClearPools(db), retry =>
        log.LogInformation("A pooled connection to PostgreSQL was dead ({Reason}); cleared the pools and running the read again", retry.Failure.Message));

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken ct) =>
        await _pipeline.ExecuteAsync(static async (read, ct) => await read(ct), read, ct);

    /// <summary>
    /// A restart ends every connection to the server: the data source's, and those in Npgsql's pools by connection
    /// string (Hangfire's), which would otherwise fail the next enqueue or dashboard page.
    /// </summary>
    private static void ClearPools(NpgsqlDataSource db)
    {
        db.Clear();
        NpgsqlConnection.ClearAllPools();
    }
}
