using System.Diagnostics;
using LlmMonitor.Aggregator.Storage;
using LlmMonitor.AggregatorTests.Infrastructure;
using LlmMonitor.Storage;
using Xunit.Abstractions;

namespace LlmMonitor.AggregatorTests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FiguresCollection
{
    public const string Name = "figures (run alone)";
}

/// <summary>
/// Re-pricing and retention at scale, their durations printed to the test output (the figures: re-pricing
/// 1,000,000 events ≤ 30 s; retention of a day's partition ≤ 1 s). Reported, not asserted: a timed assertion fails
/// on a busy machine without anything being wrong. Run alone within this project. By default with 100,000 events,
/// which keeps the suite short and kind to the other test projects sharing the machine; LLMMON_FIGURES=1 runs the
/// full 1,000,000 (how the README's figures were taken).
/// </summary>
[Collection(FiguresCollection.Name)]
public sealed class FigureTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly int Events = Environment.GetEnvironmentVariable("LLMMON_FIGURES") == "1" ? 1_000_000 : 100_000;
    private const int Days = 10;
    private static readonly DateTimeOffset Day0 = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Repricing_a_million_events_and_dropping_a_days_partition()
    {
        var book = await StoredEvents.BookAsync(_db);
        var insert = Stopwatch.StartNew();
        const int batch = 20_000;
        for (var i = 0; i < Events; i += batch)
        {
            var rows = Enumerable.Range(i, batch).Select(n => TestEvents.Catalogue(book, n % 4 == 0 ? "gpt-4o-2024-11-20" : "gpt-4o",
                Day0 + TimeSpan.FromDays(Days) * n / Events, n)).ToList();
            await _db.Writer.WriteAsync(rows);
        }

        output.WriteLine($"seeded {Events:N0} events over {Days} days in {insert.Elapsed.TotalSeconds:0.0} s");
        await _db.ExecuteAsync("VACUUM ANALYZE llm_events");
        await StoredEvents.SetPriceAsync(_db, "gpt-4o", Day0, 3m, 12m, 1.5m);

        var jobs = new TestJobs(_db, new TestClock(Day0.AddDays(Days)), retentionDays: 30);
        var reprice = Stopwatch.StartNew();
        var summary = await jobs.Reprice.RepriceModelAsync("gpt-4o", Day0, null, CancellationToken.None);
        reprice.Stop();
        output.WriteLine($"{summary} — {reprice.Elapsed.TotalSeconds:0.0} s");

        Assert.Contains($"{Events} events", summary);
        Assert.Equal(0, await _db.ScalarAsync<long>("""
            SELECT count(*) FROM llm_events
            WHERE cost_usd IS DISTINCT FROM ((prompt_tokens - cached_tokens) * 3 + cached_tokens * 1.5 + completion_tokens * 12) / 1000000.0
            """));
        await RollupAssert.EqualsGroupByAsync(_db);

        // Retention: the first half of the days fall out of the window.
        var empty = (await new EventPartitions(_db.Db).ListAsync(CancellationToken.None)).Count;
        await _db.Partitions.EnsureAsync(DateOnly.FromDateTime(Day0.AddDays(-3).UtcDateTime), DateOnly.FromDateTime(Day0.AddDays(-1).UtcDateTime));
        var partitions = await new EventPartitions(_db.Db).ListAsync(CancellationToken.None);
        var dropper = new PartitionDropper(_db.Db);
        foreach (var (partition, label) in new[] { (partitions[0], "empty"), (partitions[3], "a day of events"), (partitions[4], "a day of events") })
        {
            var rows = await _db.ScalarAsync<long>($"SELECT count(*) FROM {partition.Name}");
            var drop = Stopwatch.StartNew();
            await dropper.DropAsync(partition, CancellationToken.None);
            drop.Stop();
            output.WriteLine($"dropped {partition.Name} ({rows:N0} rows, {label}) in {drop.Elapsed.TotalMilliseconds:0} ms");
        }

        var retention = Stopwatch.StartNew();
        var report = await new TestJobs(_db, new TestClock(Day0.AddDays(35)), retentionDays: 30).Retention.RunAsync(null, CancellationToken.None);
        retention.Stop();
        output.WriteLine($"{report} — {retention.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(empty > 0);
        Assert.Equal(Events / 2, await _db.ScalarAsync<long>("SELECT count(*) FROM llm_events"));
    }
}
