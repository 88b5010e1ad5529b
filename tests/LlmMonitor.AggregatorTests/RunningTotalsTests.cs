using LlmMonitor.AggregatorTests.Infrastructure;
using LlmMonitor.Storage.Rollups;

namespace LlmMonitor.AggregatorTests;

/// <summary>
/// The running totals per tag value (migration 0006) stay equal to the calls after each boundary whoever changes the
/// hourly tag rollups: the writer (late calls too, also while boundaries are added), re-pricing, the rollup repair and
/// retention. <see cref="RollupAssert"/> compares every boundary with a GROUP BY over llm_events.
/// </summary>
public sealed class RunningTotalsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);
    private TestDatabase _db = null!;
    private TestClock _clock = null!;
    private TestJobs _jobs = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _clock = new TestClock(Now);
        _jobs = new TestJobs(_db, _clock, retentionDays: 7, rollupRetentionDays: 7);
        var book = await StoredEvents.BookAsync(_db);
        await _db.Writer.WriteAsync([
            .. TestEvents.Spread(book, "gpt-4o", Now.AddDays(-10), TimeSpan.FromDays(10), 500, 1),
            .. TestEvents.Spread(book, "claude-sonnet-4", Now.AddDays(-10), TimeSpan.FromDays(10), 300, 2),
        ]);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<string> BoundsAsync() => _db.ScalarAsync<string>("""
        SELECT string_agg(to_char(until AT TIME ZONE 'UTC', 'YYYY-MM-DD'), ' ' ORDER BY until) FROM llm_tag_running_total_bounds
        WHERE until <> 'infinity' AND until = date_trunc('day', until, 'UTC')
        """);

    private Task<long> HoursAsync() => _db.ScalarAsync<long>("""
        SELECT count(*) FROM llm_tag_running_total_bounds WHERE until <> 'infinity' AND until >= $1
        """, _clock.Now.AddHours(-48.5));

    private static string Days(int count, int firstDaysBeforeNow) =>
        string.Join(' ', Enumerable.Range(0, count).Select(d => Now.AddDays(d - firstDaysBeforeNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));

    private static DateTimeOffset Midnight(int daysBeforeNow) => new DateTimeOffset(Now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-daysBeforeNow);

    [Fact]
    public async Task Partition_upkeep_keeps_a_boundary_every_6_hours_of_the_event_retention_and_every_hour_of_two_days()
    {
        // Every 6 hours from 00:00 seven days ago to 12:00 today (31, 8 of them midnights) and 49 hours (12:00 two days
        // ago to 12:00 today), 9 of which are among the 31
        Assert.Contains("71 running-total boundaries added (kept from 2025-06-08)", await _jobs.PartitionUpkeep.RunAsync(null, CancellationToken.None));
        Assert.Equal(Days(8, 7), await BoundsAsync());
        Assert.Equal(49, await HoursAsync());
        Assert.Equal(22, await _db.ScalarAsync<long>("""
            SELECT count(*) FROM llm_tag_running_total_bounds
            WHERE until <> 'infinity' AND until < $1 AND extract(hour FROM until AT TIME ZONE 'UTC') IN (0, 6, 12, 18) AND extract(minute FROM until) = 0
            """, _clock.Now.AddHours(-48.5)));
        await RollupAssert.EqualsGroupByAsync(_db, Midnight(7));
        Assert.Contains("0 running-total boundaries added", await _jobs.PartitionUpkeep.RunAsync(null, CancellationToken.None));

        _clock.Now = Now.AddDays(1); // a new midnight and 24 hours (each from the one before); the oldest go
        Assert.Contains("24 running-total boundaries added (kept from 2025-06-09)", await _jobs.PartitionUpkeep.RunAsync(null, CancellationToken.None));
        Assert.Equal(Days(8, 6), await BoundsAsync());
        Assert.Equal(49, await HoursAsync());
        await RollupAssert.EqualsGroupByAsync(_db, Midnight(6));
    }

    [Fact]
    public async Task Late_calls_stored_while_boundaries_are_added_count_once_in_each()
    {
        var book = await StoredEvents.BookAsync(_db);
        var bounds = new RunningTotalBounds(_db.Db);
        for (var round = 0; round < 6; round++)
        {
            await _db.ExecuteAsync("DELETE FROM llm_tag_running_totals WHERE until <> 'infinity'; DELETE FROM llm_tag_running_total_bounds WHERE until <> 'infinity'");
            var late = Enumerable.Range(0, 8).Select(w => _db.Writer.WriteAsync(
                TestEvents.Spread(book, "gpt-4o-mini", Now.AddDays(-5).AddMinutes(round * 10 + w), TimeSpan.FromDays(4), 40, 1000 * round + 100 * w).ToList()));
            await Task.WhenAll([.. late, bounds.EnsureAsync(DateOnly.FromDateTime(Now.AddDays(-7).UtcDateTime), Now, CancellationToken.None)]);
            await RollupAssert.EqualsGroupByAsync(_db);
        }
    }

    [Fact]
    public async Task Repricing_moves_each_boundary_after_the_repriced_calls()
    {
        await _jobs.PartitionUpkeep.RunAsync(null, CancellationToken.None);
        var costBefore = await _db.ScalarAsync<decimal>("SELECT sum(cost_usd) FROM llm_tag_running_totals WHERE until <> 'infinity'");
        await StoredEvents.SetPriceAsync(_db, "gpt-4o", Now.AddDays(-6), 7m, 21m, 3m);

        await _jobs.Reprice.RepriceModelAsync("gpt-4o", Now.AddDays(-6), null, CancellationToken.None);

        Assert.NotEqual(costBefore, await _db.ScalarAsync<decimal>("SELECT sum(cost_usd) FROM llm_tag_running_totals WHERE until <> 'infinity'"));
        await RollupAssert.EqualsGroupByAsync(_db);
    }

    [Fact]
    public async Task The_rollup_check_finds_and_repairs_drifted_running_totals()
    {
        await _jobs.PartitionUpkeep.RunAsync(null, CancellationToken.None);
        Assert.Contains("rollups equal llm_events", await _jobs.RollupCheck.RunAsync(3, null, CancellationToken.None));
        await _db.ExecuteAsync("""
            UPDATE llm_tag_running_totals SET cost_usd = cost_usd + 1 WHERE until = '2025-06-12 00:00Z' AND tag_value = 'u1';
            DELETE FROM llm_tag_running_totals WHERE until = '2025-06-10 00:00Z' AND tag_value = 'chat';
            """);

        var report = await _jobs.RollupCheck.RunAsync(3, null, CancellationToken.None);

        Assert.Contains("llm_tag_running_totals 4 rows", report); // each row wrong against the midnight before and after
        await RollupAssert.EqualsGroupByAsync(_db);
    }

    [Fact]
    public async Task Rollup_retention_deletes_old_days_and_the_boundaries_before_them_and_changes_no_other()
    {
        await new RunningTotalBounds(_db.Db).EnsureAsync(DateOnly.FromDateTime(Now.AddDays(-9).UtcDateTime), Now, CancellationToken.None);
        var kept = await _db.ScalarAsync<long>("SELECT count(*) FROM llm_tag_running_totals WHERE until >= '2025-06-08 00:00Z'");

        await _jobs.Retention.RunAsync(null, CancellationToken.None);

        Assert.Equal(Days(8, 7), await BoundsAsync());
        Assert.Equal(kept, await _db.ScalarAsync<long>("SELECT count(*) FROM llm_tag_running_totals"));
        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM llm_rollup_daily_tags WHERE day < '2025-06-08 00:00Z'"));
        await RollupAssert.EqualsGroupByAsync(_db, Midnight(7));
    }
}
