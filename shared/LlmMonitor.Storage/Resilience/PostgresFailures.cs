using System.Net.Sockets;
using Npgsql;

namespace LlmMonitor.Storage.Resilience;

/// <summary>
/// The one rule of which PostgreSQL failures pass: what the services retry, and what the web-ui answers 503 for.
/// An exception counts by itself or by any exception inside it (Hangfire, for one, wraps Npgsql's).
/// </summary>
public static class PostgresFailures
{
    /// <summary>Worth running again later: a conflict, or PostgreSQL unreachable (including a broken connection).</summary>
    public static bool IsTransient(Exception e) => Classify(e) != PostgresFailure.Permanent;

    /// <summary>PostgreSQL is down, restarting, refusing or timing out: <see cref="PostgresFailure.Unreachable"/> or <see cref="PostgresFailure.BrokenConnection"/>.</summary>
    public static bool IsUnreachable(Exception e) => Classify(e) is PostgresFailure.Unreachable or PostgresFailure.BrokenConnection;

    /// <summary>The transaction lost a race and was rolled back: <see cref="PostgresFailure.Conflict"/>.</summary>
    public static bool IsConflict(Exception e) => Classify(e) == PostgresFailure.Conflict;

    /// <summary>The connection died under the command: <see cref="PostgresFailure.BrokenConnection"/>.</summary>
    public static bool IsBrokenConnection(Exception e) => Classify(e) == PostgresFailure.BrokenConnection;

    public static PostgresFailure Classify(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            var failure = ClassifyOne(inner);
            if (failure != PostgresFailure.Permanent)
            {
                return failure;
            }
        }

        return PostgresFailure.Permanent;
    }

    private static PostgresFailure ClassifyOne(Exception e) => e switch
    {
        PostgresException pg => FromSqlState(pg),
        // Npgsql wraps the failed read or write of a connection that the server closed or reset.
        NpgsqlException { InnerException: IOException } => PostgresFailure.BrokenConnection,
        // The rest of Npgsql's own errors: connection refused, timeouts, an exhausted pool.
        NpgsqlException or TimeoutException or SocketException => PostgresFailure.Unreachable,
        _ => PostgresFailure.Permanent,
    };

    private static PostgresFailure FromSqlState(PostgresException e) => e.SqlState switch
    {
        PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable
            => PostgresFailure.Conflict,
        PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.IdleSessionTimeout
            or PostgresErrorCodes.ConnectionFailure or PostgresErrorCodes.ConnectionDoesNotExist
            => PostgresFailure.BrokenConnection,
        // Classes 08 (connection exception), 53 (insufficient resources), 57P (shutdown, starting up, database dropped).
        var state when state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal)
            || state.StartsWith("57P", StringComparison.Ordinal) => PostgresFailure.Unreachable,
        // What Npgsql also calls transient: object in use or not ready (55000, 55006), system and I/O errors (58000, 58030).
        _ when e.IsTransient => PostgresFailure.Unreachable,
        _ => PostgresFailure.Permanent,
    };
}
