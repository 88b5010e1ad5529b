using LlmMonitor.AggregatorTests.Infrastructure;
using LlmMonitor.Pricing;
using LlmMonitor.Storage;

namespace LlmMonitor.AggregatorTests;

public sealed class RepriceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Day10 = new(2025, 6, 10, 0, 0, 0, TimeSpan.Zero);
    private TestDatabase _db = null!;
    private TestJobs _jobs = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _jobs = new TestJobs(_db, new TestClock(Now));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    /// <summary>Five days (10–14 June) of a mix: the changed model, its snapshots and other spellings, another model, client-priced and unknown ones.</summary>
    private async Task SeedMixAsync(int perModel = 200)
    {
        var book = await StoredEvents.BookAsync(_db);
        var span = TimeSpan.FromDays(5);
        var rows = new List<EventRow>();
        rows.AddRange(TestEvents.Spread(book, "gpt-4o", Day10, span, perModel, 1));
        rows.AddRange(TestEvents.Spread(book, "gpt-4o-2024-11-20", Day10, span, perModel / 2, 2));
        rows.AddRange(TestEvents.Spread(book, "GPT-4o", Day10, span, 20, 3));
        rows.AddRange(TestEvents.Spread(book, "gpt-4o-mini", Day10, span, perModel, 4));
        rows.AddRange(TestEvents.Spread(book, "acme-llm", Day10, span, 30, 5));
        rows.AddRange(Enumerable.Range(0, 50).Select(i => TestEvents.Client("gpt-4o", Day10 + span * i / 50, i, 0.123m)));
        await _db.Writer.WriteAsync(rows);
    }

    [Fact]
    public async Task A_price_change_reprices_exactly_the_events_of_its_period()
    {
        await SeedMixAsync();
        var before = await StoredEvents.LoadAsync(_db);
        var changeAt = Day10.AddDays(2);
        var nextAt = Day10.AddDays(4);
        await StoredEvents.SetPriceAsync(_db, "gpt-4o", changeAt, 3m, 12m, 1.5m);
        await StoredEvents.SetPriceAsync(_db, "gpt-4o", nextAt, 4m, 16m, null);

        var summary = await _jobs.Reprice.RepriceModelAsync("gpt-4o", changeAt, null, CancellationToken.None);

        var book = await StoredEvents.BookAsync(_db);
        var after = await StoredEvents.LoadAsync(_db);
        var inPeriod = 0;
        foreach (var e in after.Values)
        {
            var affected = e.Source == "catalogue" && book.CatalogueName(e.Model) == "gpt-4o" && e.Timestamp >= changeAt && e.Timestamp < nextAt;
            if (affected)
            {
                inPeriod++;
                Assert.Equal(e.CatalogueCost(book), e.Cost);
                Assert.NotEqual(before[e.Id].Cost, e.Cost);
            }
            else
            {
                Assert.Equal(before[e.Id].Cost, e.Cost); // outside the period, other models, client-priced: untouched
            }
        }

        Assert.True(inPeriod > 100, $"only {inPeriod} events in the period");
        Assert.Contains($"{inPeriod} events", summary);
        await RollupAssert.EqualsGroupByAsync(_db);
    }

    [Fact]
    public async Task Each_period_gets_its_own_price_and_client_priced_events_are_never_touched()
    {
        await SeedMixAsync();
        var before = await StoredEvents.LoadAsync(_db);
        await StoredEvents.SetPriceAsync(_db, "gpt-4o", Day10.AddDays(1), 3m, 12m, 1.5m);
        await StoredEvents.SetPriceAsync(_db, "gpt-4o", Day10.AddDays(3).AddHours(7), 4m, 16m, null);

        await _jobs.Reprice.RepriceModelAsync("gpt-4o", Day10.AddDays(1), null, CancellationToken.None);
        await _jobs.Reprice.RepriceModelAsync("gpt-4o", Day10.AddDays(3).AddHours(7), null, CancellationToken.None);

        var book = await StoredEvents.BookAsync(_db);
        foreach (var e in (await StoredEvents.LoadAsync(_db)).Values)
        {
            Assert.Equal(e.Source == "client" ? 0.123m : e.CatalogueCost(book), e.Cost);
            if (e.Source == "client" || e.Timestamp < Day10.AddDays(1))
            {
                Assert.Equal(before[e.Id].Cost, e.Cost);
            }
        }

        await RollupAssert.EqualsGroupByAsync(_db);
    }

    [Fact]
    public async Task A_new_model_prices_its_unpriced_events_and_their_snapshots()
    {
        var book = await StoredEvents.BookAsync(_db);
        await _db.Writer.WriteAsync([
            .. TestEvents.Spread(book, "acme-llm", Day10, TimeSpan.FromDays(3), 40, 1),
            .. TestEvents.Spread(book, "Acme-LLM-latest", Day10, TimeSpan.FromDays(3), 10, 2),
            .. TestEvents.Spread(book, "acme-llm-pro", Day10, TimeSpan.FromDays(3), 10, 3),
        ]);
        Assert.Equal(60, await _db.ScalarAsync<long>("SELECT count(*) FROM llm_events WHERE cost_usd IS NULL"));

        await StoredEvents.SetPriceAsync(_db, "acme-llm", BuiltInPrices.BeginningOfTime, 1m, 2m, null);
        await _jobs.Reprice.RepriceModelAsync("acme-llm", BuiltInPrices.BeginningOfTime, null, CancellationToken.None);

        book = await StoredEvents.BookAsync(_db);
        foreach (var e in (await StoredEvents.LoadAsync(_db)).Values)
        {
            Assert.Equal(e.CatalogueCost(book), e.Cost);
        }

        Assert.Equal(10, await _db.ScalarAsync<long>("SELECT count(*) FROM llm_events WHERE cost_usd IS NULL")); // acme-llm-pro
        Assert.Equal(10, await _db.ScalarAsync<long>("SELECT sum(unpriced_count) FROM llm_rollup_hourly"));
        await RollupAssert.EqualsGroupByAsync(_db);
    }

    [Fact]
    public async Task The_nightly_catch_up_prices_only_events_that_arrived_unpriced()
    {
        await SeedMixAsync();
        var before = await StoredEvents.LoadAsync(_db);
        await StoredEvents.SetPriceAsync(_db, "acme-llm", BuiltInPrices.BeginningOfTime, 1m, 2m, 0.5m);
        await StoredEvents.SetPriceAsync(_db, "gpt-4o", Day10, 3m, 12m, 1.5m); // changed, but no job was enqueued for it

        await _jobs.Reprice.PriceUnpricedAsync(null, CancellationToken.None);

        var book = await StoredEvents.BookAsync(_db);
        foreach (var e in (await StoredEvents.LoadAsync(_db)).Values)
        {
            Assert.Equal(before[e.Id].Cost is null ? e.CatalogueCost(book) : before[e.Id].Cost, e.Cost);
        }

        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM llm_events WHERE cost_usd IS NULL"));
        await RollupAssert.EqualsGroupByAsync(_db);
    }

    [Fact]
    public async Task Running_it_twice_changes_nothing_more()
    {
        await SeedMixAsync();
        await StoredEvents.SetPriceAsync(_db, "gpt-4o", Day10.AddDays(1), 3m, 12m, 1.5m);
        await StoredEvents.SetPriceAsync(_db, "acme-llm", BuiltInPrices.BeginningOfTime, 1m, 2m, null);
        await _jobs.Reprice.RepriceModelAsync("gpt-4o", Day10.AddDays(1), null, CancellationToken.None);
        await _jobs.Reprice.PriceUnpricedAsync(null, CancellationToken.None);
        var first = await Snapshot.TakeAsync(_db);

        var again = await _jobs.Reprice.RepriceModelAsync("gpt-4o", Day10.AddDays(1), null, CancellationToken.None);
        var catchUp = await _jobs.Reprice.PriceUnpricedAsync(null, CancellationToken.None);

        Assert.Contains(": 0 events", again);
        Assert.Contains(": 0 events", catchUp);
        Assert.Equal(first, await Snapshot.TakeAsync(_db));
    }

    [Fact]
    public async Task A_job_stopped_after_its_first_chunk_and_run_again_ends_correct()
    {
        await SeedMixAsync();
        await StoredEvents.SetPriceAsync(_db, "gpt-4o", Day10, 3m, 12m, 1.5m);
        using var kill = new CancellationTokenSource();
        _jobs.Progress = new RecordingProgress(reports => kill.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _jobs.Reprice.RepriceModelAsync("gpt-4o", Day10, null, kill.Token));

        // Each day was re-priced in a transaction of its own: done wholly, or not at all; consistent meanwhile.
        var days = await DaysRepricedAsync();
        Assert.Contains(true, days.Values);
        Assert.Contains(false, days.Values);
        await RollupAssert.EqualsGroupByAsync(_db);

        _jobs.Progress = new RecordingProgress();
        await _jobs.Reprice.RepriceModelAsync("gpt-4o", Day10, null, CancellationToken.None);

        Assert.All((await DaysRepricedAsync()).Values, Assert.True);

        await RollupAssert.EqualsGroupByAsync(_db);
    }

    [Fact]
    public async Task A_chunk_that_fails_inside_its_transaction_leaves_nothing_half_done()
    {
        await SeedMixAsync();
        await StoredEvents.SetPriceAsync(_db, "gpt-4o", Day10, 3m, 12m, 1.5m);
        var before = await Snapshot.TakeAsync(_db);
        // Fails the statement after its UPDATE of llm_events, when it reaches the daily tag rollup of 12 June.
        await _db.ExecuteAsync("""
            CREATE FUNCTION kill_reprice() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'killed mid-chunk'; END $$;
            CREATE TRIGGER kill_reprice BEFORE INSERT ON llm_rollup_daily_tags FOR EACH ROW
                WHEN (NEW.day = '2025-06-12T00:00:00Z' AND NEW.request_count = 0) EXECUTE FUNCTION kill_reprice();
            """);

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => _jobs.Reprice.RepriceModelAsync("gpt-4o", Day10, null, CancellationToken.None));

        var days = await DaysRepricedAsync();
        Assert.False(days[new DateOnly(2025, 6, 12)]);
        Assert.NotEqual(before, await Snapshot.TakeAsync(_db)); // other days were done
        await RollupAssert.EqualsGroupByAsync(_db);

        await _db.ExecuteAsync("DROP TRIGGER kill_reprice ON llm_rollup_daily_tags");
        await _jobs.Reprice.RepriceModelAsync("gpt-4o", Day10, null, CancellationToken.None);

        Assert.All((await DaysRepricedAsync()).Values, Assert.True);
        await RollupAssert.EqualsGroupByAsync(_db);
    }

    [Fact]
    public async Task Calls_with_cache_reads_writes_and_reasoning_are_priced_by_the_formula_for_every_catalogue_model()
    {
        var book = await StoredEvents.BookAsync(_db);
        var models = BuiltInPrices.All.Select(p => p.Model).Distinct().ToList();
        // Stored unpriced (as when the model was added to the catalogue later), so that the re-pricing SQL prices them all.
        await _db.Writer.WriteAsync(models.SelectMany((model, m) => TestEvents.Spread(book, model, Day10, TimeSpan.FromDays(5), 24, m * 100))
            .Select(r => r with { Event = r.Event with { CostUsd = null } }).ToList());
        Assert.True(await _db.ScalarAsync<long>("SELECT count(*) FROM llm_events WHERE cached_tokens > 0 AND cache_write_tokens > 0 AND reasoning_tokens > 0") > 0);

        await _jobs.Reprice.PriceUnpricedAsync(null, CancellationToken.None);

        foreach (var e in (await StoredEvents.LoadAsync(_db)).Values)
        {
            var p = PriceBook.BuiltIn.PriceAt(e.Model, e.Timestamp)!;
            var micro = (e.Prompt - e.Cached - e.CacheWrite) * p.InputUsdPerMillion + e.Cached * (p.CachedInputUsdPerMillion ?? p.InputUsdPerMillion)
                        + e.CacheWrite * (p.CacheWriteUsdPerMillion ?? p.InputUsdPerMillion) + e.Completion * p.OutputUsdPerMillion;
            Assert.True(Math.Round(micro / 1_000_000m, 12) == e.Cost, $"{e.Model} at {e.Timestamp:u}: {e.Cost}, expected {micro / 1_000_000m}");
        }

        await RollupAssert.EqualsGroupByAsync(_db);
    }

    [Fact]
    public async Task A_new_cache_write_price_reprices_exactly_the_calls_that_wrote_to_the_cache()
    {
        var book = await StoredEvents.BookAsync(_db);
        await _db.Writer.WriteAsync(TestEvents.Spread(book, "claude-sonnet-4-20250514", Day10, TimeSpan.FromDays(5), 200, 1).ToList());
        var before = await StoredEvents.LoadAsync(_db);
        await StoredEvents.SetPriceAsync(_db, "claude-sonnet-4", Day10.AddDays(2), 3m, 15m, 0.30m, cacheWrite: 6m); // the 1-hour cache's price

        await _jobs.Reprice.RepriceModelAsync("claude-sonnet-4", Day10.AddDays(2), null, CancellationToken.None);

        book = await StoredEvents.BookAsync(_db);
        var changed = 0;
        foreach (var e in (await StoredEvents.LoadAsync(_db)).Values)
        {
            Assert.Equal(e.CatalogueCost(book), e.Cost);
            var repriced = e.CacheWrite > 0 && e.Timestamp >= Day10.AddDays(2);
            Assert.Equal(repriced, before[e.Id].Cost != e.Cost);
            changed += repriced ? 1 : 0;
        }

        Assert.True(changed > 20, $"only {changed} calls wrote to the cache after the change");
        await RollupAssert.EqualsGroupByAsync(_db);
    }

    /// <summary>Per day: are its events of the changed model at the catalogue's cost? Fails if a day is only partly so.</summary>
    private async Task<Dictionary<DateOnly, bool>> DaysRepricedAsync()
    {
        var book = await StoredEvents.BookAsync(_db);
        var days = new Dictionary<DateOnly, bool>();
        foreach (var day in (await StoredEvents.LoadAsync(_db)).Values.Where(e => e.Source == "catalogue")
                     .GroupBy(e => DateOnly.FromDateTime(e.Timestamp.UtcDateTime)))
        {
            var changedModel = day.Where(e => book.CatalogueName(e.Model) == "gpt-4o").ToList();
            var repriced = changedModel.Count(e => e.Cost == e.CatalogueCost(book));
            Assert.True(repriced == 0 || repriced == changedModel.Count, $"{day.Key}: {repriced} of {changedModel.Count} re-priced: half done");
            days[day.Key] = repriced == changedModel.Count;
        }

        return days;
    }
}
