using LlmMonitor.AggregatorTests.Infrastructure;
using LlmMonitor.Pricing;
using LlmMonitor.Storage;

namespace LlmMonitor.AggregatorTests;

/// <summary>Re-pricing while the writer keeps inserting into the same days and the same rollup rows.</summary>
public sealed class ConcurrentWriterTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day10 = new(2025, 6, 10, 0, 0, 0, TimeSpan.Zero);
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task No_event_is_counted_twice_or_missed_and_the_settling_pass_catches_stale_prices()
    {
        var oldBook = await StoredEvents.BookAsync(_db);
        await _db.Writer.WriteAsync([
            .. TestEvents.Spread(oldBook, "gpt-4o", Day10, TimeSpan.FromDays(5), 6000, 1),
            .. TestEvents.Spread(oldBook, "claude-sonnet-4", Day10, TimeSpan.FromDays(5), 2000, 2),
        ]);
        await StoredEvents.SetPriceAsync(_db, "gpt-4o", Day10, 3m, 12m, 1.5m);
        var newBook = await StoredEvents.BookAsync(_db);
        var jobs = new TestJobs(_db, new TestClock(Day10.AddDays(5)));

        // The writer goes on storing events of the same days and hours; half with a price book that has not
        // reloaded yet (the old price), as a writer does for a few seconds after a change.
        using var stop = new CancellationTokenSource();
        var batches = 0;
        var writer = Task.Run(async () =>
        {
            var random = new Random(7);
            while (!stop.IsCancellationRequested)
            {
                var book = batches % 2 == 0 ? oldBook : newBook;
                var rows = Enumerable.Range(0, 300).Select(i => TestEvents.Catalogue(book, i % 3 == 0 ? "claude-sonnet-4" : "gpt-4o",
                    Day10 + TimeSpan.FromMinutes(random.Next(5 * 24 * 60)), random.Next(100_000))).ToList();
                // No retry: both sides lock rollup rows in the same order, so a deadlock here fails the test.
                await _db.Writer.WriteAsync(rows);
                batches++;
            }
        });

        await Task.Delay(200);
        var before = batches;
        for (var i = 0; i < 4; i++)
        {
            await jobs.Reprice.RepriceModelAsync("gpt-4o", Day10, null, CancellationToken.None);
        }

        var during = batches - before;
        await stop.CancelAsync();
        await writer;
        Assert.True(during >= 4, $"the writer stored only {during} batches while the jobs ran");

        await RollupAssert.EqualsGroupByAsync(_db); // nothing counted twice or missed, stale prices or not

        var settle = await jobs.Reprice.RepriceModelAsync("gpt-4o", Day10, null, CancellationToken.None);
        foreach (var e in (await StoredEvents.LoadAsync(_db)).Values)
        {
            Assert.Equal(e.CatalogueCost(newBook), e.Cost);
        }

        await RollupAssert.EqualsGroupByAsync(_db);
        Assert.Contains("events in 5 days", settle);
    }
}
