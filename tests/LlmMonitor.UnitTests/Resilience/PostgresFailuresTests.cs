using System.Net.Sockets;
using Hangfire;
using LlmMonitor.Storage.Resilience;
using Npgsql;

namespace LlmMonitor.UnitTests.Resilience;

/// <summary>The one rule of which PostgreSQL failures pass, what each service retries and what the web-ui answers 503 for.</summary>
public class PostgresFailuresTests
{
    [Theory]
    [InlineData(PostgresErrorCodes.AdminShutdown)] // the server restarted or stopped: what a pooled connection meets after a restart
    [InlineData(PostgresErrorCodes.CrashShutdown)]
    [InlineData(PostgresErrorCodes.IdleSessionTimeout)]
    [InlineData(PostgresErrorCodes.ConnectionFailure)]
    [InlineData(PostgresErrorCodes.ConnectionDoesNotExist)]
    public void A_session_the_server_ended_is_a_broken_connection(string sqlState) =>
        Assert.Equal(PostgresFailure.BrokenConnection, PostgresFailures.Classify(Postgres(sqlState)));

    [Fact]
    public void A_connection_closed_or_reset_under_a_command_is_a_broken_connection()
    {
        Assert.Equal(PostgresFailure.BrokenConnection, PostgresFailures.Classify(new NpgsqlException("Exception while reading from stream", new EndOfStreamException())));
        Assert.Equal(PostgresFailure.BrokenConnection, PostgresFailures.Classify(
            new NpgsqlException("Exception while writing to stream", new IOException("reset", new SocketException((int)SocketError.ConnectionReset)))));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.CannotConnectNow)] // starting up or shutting down
    [InlineData(PostgresErrorCodes.DatabaseDropped)]
    [InlineData(PostgresErrorCodes.SqlClientUnableToEstablishSqlConnection)]
    [InlineData(PostgresErrorCodes.SqlServerRejectedEstablishmentOfSqlConnection)]
    [InlineData(PostgresErrorCodes.ProtocolViolation)]
    [InlineData(PostgresErrorCodes.TooManyConnections)]
    [InlineData(PostgresErrorCodes.DiskFull)]
    [InlineData(PostgresErrorCodes.OutOfMemory)]
    [InlineData(PostgresErrorCodes.ObjectInUse)]
    [InlineData(PostgresErrorCodes.ObjectNotInPrerequisiteState)]
    [InlineData(PostgresErrorCodes.SystemError)]
    [InlineData(PostgresErrorCodes.IoError)]
    public void A_server_that_is_away_starting_or_out_of_resources_is_unreachable(string sqlState) =>
        Assert.Equal(PostgresFailure.Unreachable, PostgresFailures.Classify(Postgres(sqlState)));

    [Fact]
    public void A_refused_or_timed_out_connection_is_unreachable_but_not_broken()
    {
        Exception[] failures =
        [
            new NpgsqlException("Failed to connect to 127.0.0.1:1", new SocketException((int)SocketError.ConnectionRefused)),
            new NpgsqlException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt")),
            new NpgsqlException("The connection pool has been exhausted", new TimeoutException()),
            new TimeoutException(),
            new SocketException((int)SocketError.HostUnreachable),
        ];
        Assert.All(failures, e => Assert.Equal(PostgresFailure.Unreachable, PostgresFailures.Classify(e)));
        Assert.All(failures, e => Assert.True(PostgresFailures.IsUnreachable(e)));
        Assert.All(failures, e => Assert.False(PostgresFailures.IsBrokenConnection(e)));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.DeadlockDetected)]
    [InlineData(PostgresErrorCodes.SerializationFailure)]
    [InlineData(PostgresErrorCodes.LockNotAvailable)] // lock_timeout
    public void A_transaction_that_lost_a_race_is_a_conflict_transient_but_not_unreachable(string sqlState)
    {
        var e = Postgres(sqlState);
        Assert.Equal(PostgresFailure.Conflict, PostgresFailures.Classify(e));
        Assert.True(PostgresFailures.IsTransient(e));
        Assert.False(PostgresFailures.IsUnreachable(e));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.UniqueViolation)]
    [InlineData(PostgresErrorCodes.CheckViolation)] // e.g. no partition for the row
    [InlineData(PostgresErrorCodes.NotNullViolation)]
    [InlineData(PostgresErrorCodes.NumericValueOutOfRange)]
    [InlineData(PostgresErrorCodes.UndefinedTable)]
    [InlineData(PostgresErrorCodes.SyntaxError)]
    [InlineData(PostgresErrorCodes.InvalidPassword)]
    [InlineData(PostgresErrorCodes.InvalidCatalogName)] // no such database
    [InlineData(PostgresErrorCodes.QueryCanceled)]
    public void A_bug_bad_data_or_a_refused_login_is_permanent(string sqlState)
    {
        var e = Postgres(sqlState);
        Assert.Equal(PostgresFailure.Permanent, PostgresFailures.Classify(e));
        Assert.False(PostgresFailures.IsTransient(e));
        Assert.False(PostgresFailures.IsUnreachable(e));
    }

    [Fact]
    public void Failures_that_are_not_the_database_are_permanent()
    {
        Assert.Equal(PostgresFailure.Permanent, PostgresFailures.Classify(new InvalidOperationException("a bug")));
        Assert.Equal(PostgresFailure.Permanent, PostgresFailures.Classify(new OperationCanceledException()));
        Assert.Equal(PostgresFailure.Permanent, PostgresFailures.Classify(new InvalidCastException()));
    }

    [Fact]
    public void A_wrapped_failure_counts_by_what_it_wraps()
    {
        Assert.Equal(PostgresFailure.BrokenConnection,
            PostgresFailures.Classify(new BackgroundJobClientException("Background job creation failed.", Postgres(PostgresErrorCodes.AdminShutdown))));
        Assert.Equal(PostgresFailure.Unreachable,
            PostgresFailures.Classify(new InvalidOperationException("outer", new AggregateException(new TimeoutException()))));
        Assert.Equal(PostgresFailure.Permanent,
            PostgresFailures.Classify(new InvalidOperationException("outer", Postgres(PostgresErrorCodes.UniqueViolation))));
    }

    /// <summary>
    /// The writer retries a batch while the failure is transient and stores it message by message otherwise; the rule
    /// it had before there was one rule for every service, kept here as the reference.
    /// </summary>
    [Fact]
    public void For_every_sqlstate_transient_means_what_the_writer_always_retried()
    {
        static bool WritersRule(PostgresException pg) => pg.IsTransient || pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("57P", StringComparison.Ordinal) || pg.SqlState.StartsWith("53", StringComparison.Ordinal);

        var states = typeof(PostgresErrorCodes).GetFields().Select(f => (string)f.GetValue(null)!).ToList();
        Assert.True(states.Count > 200);
        Assert.All(states, state => Assert.Equal(WritersRule(Postgres(state)), PostgresFailures.IsTransient(Postgres(state))));
        Assert.True(PostgresFailures.IsTransient(new NpgsqlException("any of Npgsql's own")));
        Assert.True(PostgresFailures.IsTransient(new TimeoutException()));
    }

    private static PostgresException Postgres(string sqlState) => new("message", "ERROR", "ERROR", sqlState);
}
