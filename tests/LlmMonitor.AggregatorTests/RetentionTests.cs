using LlmMonitor.AggregatorTests.Infrastructure;
using Npgsql;

namespace LlmMonitor.AggregatorTests;

public sealed class RetentionTests : IAsyncLifetime
{
    // now − 30 days = 16 May 10:00: the partitions up to 15 May lie wholly outside the window, 16 May only partly.
    private static readonly DateTimeOffset Now = new(2025, 6, 15, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset May13 = new(2025, 5, 13, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset May16 = new(2025, 5, 16, 0, 0, 0, TimeSpan.Zero);
    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var book = await StoredEvents.BookAsync(_db);
        await _db.Partitions.EnsureAsync(new DateOnly(2025, 5, 10), new DateOnly(2025, 6, 17));
        await _db.Writer.WriteAsync([
            .. TestEvents.Spread(book, "gpt-4o", May13, TimeSpan.FromDays(20), 1000, 1),          // 13 May – 1 June
            .. TestEvents.Spread(book, "claude-sonnet-4", Now.AddDays(-20), TimeSpan.FromDays(20), 300, 2),
        ]);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private const string Totals = """
        SELECT string_agg(format('%s:%s:%s', d, n, c), ',' ORDER BY d) FROM (
            SELECT date_trunc('day', timestamp, 'UTC') AS d, count(*) AS n, sum(cost_usd) AS c FROM llm_events GROUP BY 1) t
        WHERE d >= $1
        """;

    private const string RollupTotals = """
        SELECT string_agg(format('%s:%s:%s', d, n, c), ',' ORDER BY d) FROM (
            SELECT date_trunc('day', hour, 'UTC') AS d, sum(request_count) AS n, sum(cost_usd) AS c FROM llm_rollup_hourly GROUP BY 1) t
        """;

    [Fact]
    public async Task It_drops_exactly_the_partitions_wholly_outside_the_window_and_keeps_the_totals_inside()
    {
        var jobs = new TestJobs(_db, new TestClock(Now), retentionDays: 30);
        var insideBefore = await _db.ScalarAsync<string>(Totals, May16);
        var rollupsBefore = await _db.ScalarAsync<string>(RollupTotals);

        var report = await jobs.Retention.RunAsync(null, CancellationToken.None);

        var names = await PartitionNames.ListAsync(_db);
        Assert.Equal("llm_events_20250516", names[0]);
        Assert.Equal(33, names.Count); // 16 May … 17 June
        Assert.Contains("dropped llm_events_20250510, llm_events_20250511, llm_events_20250512, llm_events_20250513, llm_events_20250514, llm_events_20250515", report);
        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname IN ('llm_events_20250515', 'llm_events_20250510')"));
        Assert.Equal(insideBefore, await _db.ScalarAsync<string>(Totals, May16));
        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM llm_events WHERE timestamp < $1", May16));
        // Older than now − 30 days, but in a partition that is partly inside the window: kept.
        Assert.True(await _db.ScalarAsync<long>("SELECT count(*) FROM llm_events WHERE timestamp < '2025-05-16T10:00:00Z'") > 0);
        Assert.Equal(rollupsBefore, await _db.ScalarAsync<string>(RollupTotals)); // rollups outlive the events
        await RollupAssert.EqualsGroupByAsync(_db, May16);
    }

    [Fact]
    public async Task Running_it_twice_changes_nothing_more()
    {
        var jobs = new TestJobs(_db, new TestClock(Now), retentionDays: 30, rollupRetentionDays: 25);
        await jobs.Retention.RunAsync(null, CancellationToken.None);
        var first = await Snapshot.TakeAsync(_db);

        var report = await jobs.Retention.RunAsync(null, CancellationToken.None);

        Assert.Contains("dropped no partition", report);
        Assert.Contains("deleted 0 rows", report);
        Assert.Equal(first, await Snapshot.TakeAsync(_db));
    }

    [Fact]
    public async Task Rollups_are_kept_for_ROLLUP_RETENTION_DAYS_in_whole_days()
    {
        var jobs = new TestJobs(_db, new TestClock(Now), retentionDays: 10, rollupRetentionDays: 25);

        await jobs.Retention.RunAsync(null, CancellationToken.None);

        // now − 25 days = 21 May 10:00: rollup rows of 20 May and before go, all of 21 May stays.
        foreach (var table in new[] { "llm_rollup_hourly", "llm_rollup_hourly_histogram", "llm_rollup_hourly_tags" })
        {
            Assert.Equal(new DateTimeOffset(2025, 5, 21, 0, 0, 0, TimeSpan.Zero), await _db.ScalarAsync<DateTime>($"SELECT min(hour) FROM {table}"));
        }

        foreach (var table in new[] { "llm_rollup_daily_histogram", "llm_rollup_daily_tags" })
        {
            Assert.Equal(new DateTimeOffset(2025, 5, 21, 0, 0, 0, TimeSpan.Zero), await _db.ScalarAsync<DateTime>($"SELECT min(day) FROM {table}"));
        }

        Assert.Equal("llm_events_20250605", (await PartitionNames.ListAsync(_db))[0]);
        await RollupAssert.EqualsGroupByAsync(_db, new DateTimeOffset(2025, 6, 5, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task It_finishes_what_an_interrupted_run_left_detached_or_detach_pending()
    {
        await _db.ExecuteAsync("ALTER TABLE llm_events DETACH PARTITION llm_events_20250513");
        await LeaveDetachPendingAsync("llm_events_20250514");
        Assert.Equal(1, await _db.ScalarAsync<long>("SELECT count(*) FROM pg_inherits WHERE inhdetachpending"));
        var jobs = new TestJobs(_db, new TestClock(Now), retentionDays: 30);

        var report = await jobs.Retention.RunAsync(null, CancellationToken.None);

        Assert.Contains("llm_events_20250513", report);
        Assert.Contains("llm_events_20250514", report);
        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname ~ '^llm_events_202505(0|1[0-5])'"));
        Assert.Equal("llm_events_20250516", (await PartitionNames.ListAsync(_db))[0]);
    }

    /// <summary>Starts a DETACH … CONCURRENTLY that must wait for an open transaction, and cancels it while it waits.</summary>
    private async Task LeaveDetachPendingAsync(string partition)
    {
        await using var reader = await _db.Db.OpenConnectionAsync();
        await using var tx = await reader.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        await using (var read = new NpgsqlCommand("SELECT count(*) FROM llm_events", reader, tx))
        {
            await read.ExecuteScalarAsync();
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var detach = _db.Command($"ALTER TABLE llm_events DETACH PARTITION {partition} CONCURRENTLY");
            await detach.ExecuteNonQueryAsync(cancel.Token);
        });
        await tx.CommitAsync();
    }
}
