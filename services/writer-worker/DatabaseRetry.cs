using LlmMonitor.Storage.Resilience;
using Npgsql;
using Polly;

namespace LlmMonitor.WriterWorker;

/// <summary>
/// Keeps retrying a write while PostgreSQL is unreachable or restarting, with backoff from 200 ms up to 15 s.
/// The batch's messages stay unacknowledged in the queue meanwhile, so nothing is lost and the
/// queue, not the writer's memory, holds the backlog. A connection that broke under the write (PostgreSQL restarted)
/// empties the pool, whose other idle connections died with it, so the next attempt opens a live one.
/// </summary>
public sealed class DatabaseRetry(NpgsqlDataSource db, ILogger<DatabaseRetry> log)
{
    private readonly ResiliencePipeline _pipeline = PostgresRetry.WhileTransient(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(15), retry =>
    {
        if (PostgresFailures.IsBrokenConnection(retry.Failure))
        {
            db.Clear();
        }

        log.LogWarning("Database write failed (attempt {Attempt}: {Reason}); retrying in {Delay} ms",
            retry.Attempt, retry.Failure.Message, retry.Delay.TotalMilliseconds);
    });

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> write, CancellationToken ct) =>
        await _pipeline.ExecuteAsync(static async (write, ct) => await write(ct), write, ct);
}
