namespace LlmMonitor.Storage.Resilience;

/// <summary>What a failure says about PostgreSQL, as <see cref="PostgresFailures.Classify"/> reads it.</summary>
public enum PostgresFailure
{
    /// <summary>Not an outage: a bug, bad data, a refused constraint, or no database failure at all. Running it again fails again.</summary>
    Permanent,

    /// <summary>
    /// The transaction lost a race with another session (deadlock, serialization failure, a lock it could not get in
    /// time). PostgreSQL rolled it back whole, so running it again is safe and may well succeed.
    /// </summary>
    Conflict,

    /// <summary>
    /// PostgreSQL is not serving: the connection was refused or timed out, the server is starting, shutting down or
    /// out of connections, memory or disk, or it reports some other passing trouble of its own.
    /// </summary>
    Unreachable,

    /// <summary>
    /// The connection in hand died under the command: the server restarted or cut it. A kind of
    /// <see cref="Unreachable"/> that a new connection may cure at once (after a restart every idle pooled connection is
    /// dead, and Npgsql notices only when it uses one).
    /// </summary>
    BrokenConnection,
}
