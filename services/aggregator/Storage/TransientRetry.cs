using Npgsql;

namespace LlmMonitor.Aggregator.Storage;

/// <summary>
/// Retries a transaction that PostgreSQL aborted because of a deadlock, a serialization conflict or a lock it could
/// not get in time (it rolled back as a whole, so running it again is safe).
/// </summary>
public static class TransientRetry
{
    private const int Attempts = 5;

    public static async Task<T> RunAsync<T>(Func<Task<T>> transaction, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await transaction();
            }
            catch (PostgresException e) when (attempt < Attempts && e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.LockNotAvailable)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), ct);
            }
        }
    }
}
