using LlmMonitor.AggregatorTests.Infrastructure;

namespace LlmMonitor.AggregatorTests;

/// <summary>
/// The sessions per hour of their latest call (migration 0011) follow llm_sessions whoever changes it: concurrent
/// writers moving the same sessions on, retention, and the rollup check's repair. <see cref="RollupAssert"/> compares them.
/// </summary>
public sealed class SessionHoursTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2025, 6, 15, 12, 20, 0, TimeSpan.Zero);
    private TestDatabase _db = null!;
    private TestJobs _jobs = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _jobs = new TestJobs(_db, new TestClock(Now), retentionDays: 2, rollupRetentionDays: 2);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Concurrent_writers_moving_the_same_sessions_on_count_each_once()
    {
        var book = await StoredEvents.BookAsync(_db);
        for (var round = 0; round < 4; round++)
        {
            var writes = Enumerable.Range(0, 6).Select(w => _db.Writer.WriteAsync(
                TestEvents.Spread(book, w % 2 == 0 ? "gpt-4o" : "claude-sonnet-4", Now.AddHours(-6 + round).AddMinutes(w), TimeSpan.FromHours(3), 60, 100 * round + w).ToList()));
            await Task.WhenAll(writes);
            await RollupAssert.EqualsGroupByAsync(_db);
        }

        Assert.True(await _db.ScalarAsync<long>("SELECT count(DISTINCT hour) FROM llm_session_hours WHERE model = '' AND sessions > 0") > 1);
        Assert.True(await _db.ScalarAsync<long>("SELECT count(*) FROM llm_session_hours WHERE model = 'claude-sonnet-4'") > 0);
    }

    [Fact]
    public async Task Retention_takes_the_pruned_sessions_out_of_their_hours()
    {
        var book = await StoredEvents.BookAsync(_db);
        await _db.Writer.WriteAsync([.. TestEvents.Spread(book, "gpt-4o", Now.AddDays(-5), TimeSpan.FromDays(5), 400, 1)]);
        var before = await _db.ScalarAsync<long>("SELECT sum(sessions) FROM llm_session_hours WHERE model = ''");

        await _jobs.Retention.RunAsync(null, CancellationToken.None);

        Assert.InRange(await _db.ScalarAsync<long>("SELECT sum(sessions) FROM llm_session_hours WHERE model = ''"), 1, before - 1);
        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM llm_session_hours WHERE sessions = 0"));
        await RollupAssert.EqualsGroupByAsync(_db, new DateTimeOffset(2025, 6, 13, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task The_rollup_check_finds_and_repairs_drifted_counts()
    {
        var book = await StoredEvents.BookAsync(_db);
        await _db.Writer.WriteAsync([.. TestEvents.Spread(book, "gpt-4o", Now.AddHours(-20), TimeSpan.FromHours(20), 300, 1)]);
        await _db.ExecuteAsync("""
            UPDATE llm_session_hours SET sessions = sessions + 2 WHERE model = '' AND hour = (SELECT min(hour) FROM llm_session_hours);
            DELETE FROM llm_session_hours WHERE model = 'gpt-4o' AND hour = (SELECT max(hour) FROM llm_session_hours);
            """);

        var report = await _jobs.RollupCheck.RunAsync(3, null, CancellationToken.None);

        Assert.Contains("llm_session_hours 2 counts", report);
        await RollupAssert.EqualsGroupByAsync(_db);
    }
}
