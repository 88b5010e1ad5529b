using LlmMonitor.AggregatorTests.Infrastructure;
using LlmMonitor.Storage.Rollups;

namespace LlmMonitor.AggregatorTests;

/// <summary>
/// The recent totals per span and tag value (migrations 0009, 0010) stay equal to the calls of their hours, whoever
/// changes the hourly tag rollups (the writer's late calls, re-pricing, the rollup repair) and while partition upkeep moves their
/// hours up. <see cref="RollupAssert"/> compares them with a GROUP BY over llm_events.
/// </summary>
public sealed class RecentTotalsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2025, 6, 15, 12, 20, 0, TimeSpan.Zero);
    private TestDatabase _db = null!;
    private TestClock _clock = null!;
    private TestJobs _jobs = null!;
    private RecentTotals _recent = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _clock = new TestClock(Now);
        _jobs = new TestJobs(_db, _clock, retentionDays: 7, rollupRetentionDays: 7);
        _recent = new RecentTotals(_db.Db);
        var book = await StoredEvents.BookAsync(_db);
        await StartAtAsync(Now.AddHours(-30));
        await _db.Writer.WriteAsync([
            .. TestEvents.Spread(book, "gpt-4o", Now.AddDays(-3), TimeSpan.FromDays(3), 500, 1),
            .. TestEvents.Spread(book, "claude-sonnet-4", Now.AddDays(-3), TimeSpan.FromDays(3), 300, 2),
        ]);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    /// <summary>The totals a running system would have if its upkeep last ran 24 hours after <paramref name="since"/>.</summary>
    private async Task StartAtAsync(DateTimeOffset since)
    {
        await _db.ExecuteAsync("""
            UPDATE llm_tag_recent_since SET until = date_trunc('hour', $1, 'UTC') + interval '24 hours',
                since = date_trunc('hour', $1, 'UTC') + interval '24 hours' - make_interval(hours => span_hours)
            """, since);
        await _recent.RebuildAsync(CancellationToken.None);
    }

    private async Task<string> HoursAsync() => await _db.ScalarAsync<string>("""
        SELECT string_agg(span_hours || ': ' || to_char(since AT TIME ZONE 'UTC', 'MM-DD HH24') || ' to '
                          || to_char(until AT TIME ZONE 'UTC', 'MM-DD HH24'), ', ' ORDER BY span_hours)
        FROM llm_tag_recent_since
        """);

    [Fact]
    public async Task Partition_upkeep_moves_the_start_to_the_hour_a_day_before_the_current_one()
    {
        await RollupAssert.EqualsGroupByAsync(_db);

        Assert.Equal("24: 06-14 06 to 06-15 06, 168: 06-08 06 to 06-15 06, 720: 05-16 06 to 06-15 06", await HoursAsync());
        Assert.Contains("the recent totals moved up by 6 hours", await _jobs.PartitionUpkeep.RunAsync(null, CancellationToken.None));

        const string Moved = "24: 06-14 12 to 06-15 12, 168: 06-08 12 to 06-15 12, 720: 05-16 12 to 06-15 12";
        Assert.Equal(Moved, await HoursAsync());
        await RollupAssert.EqualsGroupByAsync(_db);
        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM llm_tag_recent_totals WHERE request_count = 0"));
        Assert.Contains("moved up by 0 hours", await _jobs.PartitionUpkeep.RunAsync(null, CancellationToken.None));
        _clock.Now = Now.AddHours(-5); // a clock behind never moves them back
        Assert.Contains("moved up by 0 hours", await _jobs.PartitionUpkeep.RunAsync(null, CancellationToken.None));
        Assert.Equal(Moved, await HoursAsync());
    }

    [Fact]
    public async Task Values_whose_calls_all_fall_out_lose_their_row()
    {
        var book = await StoredEvents.BookAsync(_db);
        await _db.Writer.WriteAsync([.. TestEvents.Spread(book, "gpt-4o", Now.AddHours(-29), TimeSpan.FromMinutes(30), 3, 90)
            .Select(r => r with { Event = r.Event with { Tags = new Dictionary<string, string> { ["feature"] = "gone" } } })]);
        const string Gone = "SELECT string_agg(span_hours::text, ',' ORDER BY span_hours) FROM llm_tag_recent_totals WHERE tag_value = 'gone'";
        Assert.Equal("24,168,720", await _db.ScalarAsync<string>(Gone));

        await _recent.AdvanceAsync(Now, CancellationToken.None);

        Assert.Equal("168,720", await _db.ScalarAsync<string>(Gone)); // out of the last day only
        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM llm_tag_recent_totals WHERE request_count = 0"));
        await RollupAssert.EqualsGroupByAsync(_db);
    }

    [Fact]
    public async Task Late_calls_stored_while_the_start_moves_count_once()
    {
        var book = await StoredEvents.BookAsync(_db);
        for (var round = 0; round < 6; round++)
        {
            await StartAtAsync(Now.AddHours(-30));
            var late = Enumerable.Range(0, 8).Select(w => _db.Writer.WriteAsync(
                TestEvents.Spread(book, "gpt-4o-mini", Now.AddHours(-31).AddMinutes(round * 10 + w), TimeSpan.FromHours(31), 40, 1000 * round + 100 * w).ToList()));
            await Task.WhenAll([.. late, _recent.AdvanceAsync(Now, CancellationToken.None)]);
            await RollupAssert.EqualsGroupByAsync(_db);
        }
    }

    [Fact]
    public async Task Repricing_changes_the_totals_of_the_repriced_calls()
    {
        var costBefore = await _db.ScalarAsync<decimal>("SELECT sum(cost_usd) FROM llm_tag_recent_totals");
        await StoredEvents.SetPriceAsync(_db, "gpt-4o", Now.AddDays(-6), 7m, 21m, 3m);

        await _jobs.Reprice.RepriceModelAsync("gpt-4o", Now.AddDays(-6), null, CancellationToken.None);

        Assert.NotEqual(costBefore, await _db.ScalarAsync<decimal>("SELECT sum(cost_usd) FROM llm_tag_recent_totals"));
        await RollupAssert.EqualsGroupByAsync(_db);
    }

    [Fact]
    public async Task The_rollup_check_finds_and_repairs_drifted_totals()
    {
        Assert.Contains("rollups equal llm_events", await _jobs.RollupCheck.RunAsync(3, null, CancellationToken.None));
        await _db.ExecuteAsync("""
            UPDATE llm_tag_recent_totals SET cost_usd = cost_usd + 1 WHERE tag_value = 'u1' AND span_hours = 720;
            DELETE FROM llm_tag_recent_totals WHERE tag_value = 'chat' AND span_hours = 24;
            """);

        var report = await _jobs.RollupCheck.RunAsync(3, null, CancellationToken.None);

        Assert.Contains("llm_tag_recent_totals 2 values", report);
        await RollupAssert.EqualsGroupByAsync(_db);
    }
}
