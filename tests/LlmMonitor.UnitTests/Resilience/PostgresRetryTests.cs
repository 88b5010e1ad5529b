using LlmMonitor.Storage.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace LlmMonitor.UnitTests.Resilience;

public class PostgresRetryTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task While_transient_retries_with_a_doubling_delay_up_to_the_most_then_succeeds()
    {
        var notices = new List<RetryNotice>();
        var pipeline = PostgresRetry.WhileTransient(Ms, 4 * Ms, notices.Add);
        var attempts = 0;

        var result = await pipeline.ExecuteAsync(_ => ++attempts <= 5 ? throw Refused() : ValueTask.FromResult("stored"), CancellationToken.None);

        Assert.Equal("stored", result);
        Assert.Equal([1, 2, 3, 4, 5], notices.Select(n => n.Attempt));
        Assert.Equal([Ms, 2 * Ms, 4 * Ms, 4 * Ms, 4 * Ms], notices.Select(n => n.Delay));
    }

    [Fact]
    public async Task While_transient_keeps_the_most_delay_however_long_the_outage()
    {
        var notices = new List<RetryNotice>();
        var attempts = 0;

        // 2^70 delays would overflow a TimeSpan long before this.
        await PostgresRetry.WhileTransient(Ms, 2 * Ms, notices.Add)
            .ExecuteAsync(_ => ++attempts <= 70 ? throw Refused() : ValueTask.CompletedTask, CancellationToken.None);

        Assert.Equal(70, notices.Count);
        Assert.All(notices.Skip(1), n => Assert.Equal(2 * Ms, n.Delay));
    }

    [Fact]
    public async Task While_transient_lets_a_permanent_failure_through_at_once()
    {
        var refused = new PostgresException("no partition", "ERROR", "ERROR", PostgresErrorCodes.CheckViolation);
        var attempts = 0;

        var thrown = await Assert.ThrowsAsync<PostgresException>(() => PostgresRetry.WhileTransient(Ms, Ms, _ => { })
            .ExecuteAsync(_ => { attempts++; throw refused; }, CancellationToken.None).AsTask());

        Assert.Same(refused, thrown);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Once_cancelled_the_failure_itself_comes_through_instead_of_a_retry()
    {
        using var shutdown = new CancellationTokenSource();
        var failure = Refused();

        var thrown = await Assert.ThrowsAsync<NpgsqlException>(() => PostgresRetry.WhileTransient(Ms, Ms, _ => { })
            .ExecuteAsync(_ => { shutdown.Cancel(); throw failure; }, shutdown.Token).AsTask());

        Assert.Same(failure, thrown);
    }

    [Fact]
    public async Task Until_it_works_retries_any_failure()
    {
        var attempts = 0;

        await PostgresRetry.UntilItWorks(Ms, Ms, _ => { })
            .ExecuteAsync(_ => ++attempts < 3 ? throw new InvalidOperationException("not yet") : ValueTask.CompletedTask, CancellationToken.None);

        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task On_conflict_runs_a_transaction_five_times_at_most_and_nothing_else_twice()
    {
        var conflicts = 0;
        var deadlock = new PostgresException("deadlock detected", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected);
        var thrown = await Assert.ThrowsAsync<PostgresException>(() =>
            PostgresRetry.OnConflict.ExecuteAsync(_ => { conflicts++; throw deadlock; }, CancellationToken.None).AsTask());
        Assert.Same(deadlock, thrown);
        Assert.Equal(5, conflicts);

        var outages = 0;
        await Assert.ThrowsAsync<NpgsqlException>(() =>
            PostgresRetry.OnConflict.ExecuteAsync(_ => { outages++; throw Refused(); }, CancellationToken.None).AsTask());
        Assert.Equal(1, outages);
    }

    [Fact]
    public async Task Once_on_a_broken_connection_clears_the_pool_and_runs_once_more()
    {
        var clears = 0;
        var pipeline = PostgresRetry.OnceOnBrokenConnection(() => clears++, _ => { });

        var attempts = 0;
        var answer = await pipeline.ExecuteAsync(_ => ++attempts == 1 ? throw AdminShutdown() : ValueTask.FromResult(42), CancellationToken.None);
        Assert.Equal((42, 2, 1), (answer, attempts, clears));

        attempts = 0;
        await Assert.ThrowsAsync<PostgresException>(() => pipeline.ExecuteAsync(_ => { attempts++; throw AdminShutdown(); }, CancellationToken.None).AsTask());
        Assert.Equal((2, 2), (attempts, clears));
    }

    [Fact]
    public async Task Once_on_a_broken_connection_does_not_retry_a_server_that_is_down()
    {
        var clears = 0;
        var attempts = 0;

        await Assert.ThrowsAsync<NpgsqlException>(() => PostgresRetry.OnceOnBrokenConnection(() => clears++, _ => { })
            .ExecuteAsync(_ => { attempts++; throw Refused(); }, CancellationToken.None).AsTask());

        Assert.Equal((1, 0), (attempts, clears));
    }

    [Fact]
    public async Task A_read_whose_pooled_connection_died_is_answered_from_a_new_one()
    {
        await using var db = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=x;Password=x");
        var retry = new ReadRetry(db, NullLogger<ReadRetry>.Instance);
        var attempts = 0;

        var rows = await retry.RunAsync(_ => ++attempts == 1 ? throw AdminShutdown() : Task.FromResult(7), CancellationToken.None);

        Assert.Equal((7, 2), (rows, attempts));
    }

    private static NpgsqlException Refused() => new("Failed to connect to 127.0.0.1:1", new System.Net.Sockets.SocketException(111));

    private static PostgresException AdminShutdown() =>
        new("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown);
}
