using Npgsql;

namespace LlmMonitor.WriterWorker;

/// <summary>
/// Keeps retrying a write while PostgreSQL is unreachable or restarting, with backoff up to 15 s.
/// The batch's messages stay unacknowledged in the queue meanwhile, so nothing is lost and the
/// queue, not the writer's memory, holds the backlog.
/// </summary>
public sealed class DatabaseRetry(ILogger<DatabaseRetry> log)
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(15);

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> write, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await write(ct);
            }
            catch (Exception e) when (IsTransient(e) && !ct.IsCancellationRequested)
            {
                log.LogWarning("Database write failed (attempt {Attempt}: {Reason}); retrying in {Delay} ms", attempt, e.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }

    public static bool IsTransient(Exception e) => e switch
    {
        PostgresException pg => pg.IsTransient || pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("57P", StringComparison.Ordinal) || pg.SqlState.StartsWith("53", StringComparison.Ordinal),
        NpgsqlException => true,
        TimeoutException => true,
        _ => false,
    };
}
