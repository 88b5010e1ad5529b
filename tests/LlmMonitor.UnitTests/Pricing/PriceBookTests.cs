using LlmMonitor.Pricing;

namespace LlmMonitor.UnitTests.Pricing;

public class PriceBookTests
{
    private static readonly DateTimeOffset Current = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static DateTimeOffset Day(int y, int m, int d) => new(y, m, d, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, decimal, decimal, decimal?, decimal?> ListPrices => new()
    {
        { "gpt-4", 30m, 60m, null, null },
        { "gpt-4o", 2.50m, 10m, 1.25m, null },
        { "gpt-4o-mini", 0.15m, 0.60m, 0.075m, null },
        { "gpt-4.1", 2m, 8m, 0.50m, null },
        { "o1", 15m, 60m, 7.50m, null },
        { "o3", 2m, 8m, 0.50m, null },
        { "o3-mini", 1.10m, 4.40m, 0.55m, null },
        { "claude-3-5-sonnet", 3m, 15m, 0.30m, 3.75m },
        { "claude-sonnet-4", 3m, 15m, 0.30m, 3.75m },
        { "claude-opus-4", 15m, 75m, 1.50m, 18.75m },
        { "claude-3-5-haiku", 0.80m, 4m, 0.08m, 1.00m },
    };

    [Theory]
    [MemberData(nameof(ListPrices))]
    public void Built_in_current_price_is_the_list_price(string model, decimal input, decimal output, decimal? cached, decimal? cacheWrite)
    {
        var price = PriceBook.BuiltIn.PriceAt(model, Current);
        Assert.NotNull(price);
        Assert.Equal((input, output, cached, cacheWrite),
            (price.InputUsdPerMillion, price.OutputUsdPerMillion, price.CachedInputUsdPerMillion, price.CacheWriteUsdPerMillion));
    }

    /// <summary>Anthropic's list prices for writes to its 5-minute cache: 1.25 × input, but 0.30 (not 0.3125) for Claude 3 Haiku.</summary>
    private static readonly Dictionary<string, decimal> ClaudeCacheWrites = new()
    {
        ["claude-3-5-sonnet"] = 3.75m, ["claude-3-7-sonnet"] = 3.75m, ["claude-sonnet-4"] = 3.75m, ["claude-sonnet-4-5"] = 3.75m,
        ["claude-3-opus"] = 18.75m, ["claude-opus-4"] = 18.75m, ["claude-opus-4-1"] = 18.75m,
        ["claude-3-haiku"] = 0.30m, ["claude-3-5-haiku"] = 1.00m, ["claude-haiku-4-5"] = 1.25m,
    };

    [Fact]
    public void Every_built_in_Claude_model_has_its_cache_write_price_and_no_other_model_has_one()
    {
        foreach (var price in BuiltInPrices.All)
        {
            var expected = ClaudeCacheWrites.TryGetValue(price.Model, out var write) ? write : (decimal?)null;
            Assert.True(expected == price.CacheWriteUsdPerMillion, $"{price.Model}: cache write {price.CacheWriteUsdPerMillion}, expected {expected}");
        }

        Assert.Equal(ClaudeCacheWrites.Count, BuiltInPrices.All.Count(p => p.Model.StartsWith("claude-", StringComparison.Ordinal)));
    }

    /// <summary>Every period of the built-in catalogue, as a model and a time inside it.</summary>
    public static TheoryData<string, DateTimeOffset> EveryCataloguePeriod()
    {
        var periods = new TheoryData<string, DateTimeOffset>();
        foreach (var price in BuiltInPrices.All)
        {
            periods.Add(price.Model, price.EffectiveFrom.AddHours(1));
        }

        return periods;
    }

    /// <summary>A call with cache reads, cache writes and reasoning, through the validator as every ingest path takes it.</summary>
    [Theory]
    [MemberData(nameof(EveryCataloguePeriod))]
    public void A_call_with_cache_reads_writes_and_reasoning_costs_the_formula_for_every_catalogue_model(string model, DateTimeOffset at)
    {
        var call = EventTestKit.Valid($$"""
            {"model":"{{model}}","prompt_tokens":10000,"cached_tokens":3000,"cache_write_tokens":2000,
             "completion_tokens":1500,"reasoning_tokens":600}
            """) with { Timestamp = at };
        var book = new PriceBook(BuiltInPrices.All);
        var p = book.PriceAt(model, at)!;

        // (prompt − cached − cache_write) × input + cached × cached-input + cache_write × cache-write + completion × output,
        // each missing price being the input price; reasoning is inside the completion.
        var micro = 5000 * p.InputUsdPerMillion + 3000 * (p.CachedInputUsdPerMillion ?? p.InputUsdPerMillion)
                    + 2000 * (p.CacheWriteUsdPerMillion ?? p.InputUsdPerMillion) + 1500 * p.OutputUsdPerMillion;
        Assert.Equal(micro / 1_000_000m, book.Cost(call));
        Assert.Equal(book.Cost(call), book.Cost(call with { ReasoningTokens = 0 }));
    }

    [Theory]
    [InlineData("claude-sonnet-4-20250514", 0.0459)]   // 5000 × 3 + 3000 × 0.30 + 2000 × 3.75 + 1500 × 15
    [InlineData("claude-opus-4", 0.2295)]             // 5000 × 15 + 3000 × 1.50 + 2000 × 18.75 + 1500 × 75
    [InlineData("claude-3-5-haiku", 0.01224)]         // 5000 × 0.80 + 3000 × 0.08 + 2000 × 1.00 + 1500 × 4
    [InlineData("gpt-4o", 0.03625)]                   // 5000 × 2.50 + 3000 × 1.25 + 2000 × 2.50 (no write price) + 1500 × 10
    [InlineData("gpt-4", 0.39)]                       // 10000 × 30 (neither cache price) + 1500 × 60
    public void Cache_writes_are_priced_at_the_cache_write_price_or_else_the_input_price(string model, double usd) =>
        Assert.Equal((decimal)usd, PriceBook.BuiltIn.Cost(model, Current, 10_000, 1_500, 3_000, 2_000));

    [Theory]
    [InlineData("gpt-4.1-mini")]
    [InlineData("gpt-4.1-nano")]
    [InlineData("claude-3-7-sonnet")]
    [InlineData("claude-3-opus")]
    [InlineData("claude-3-haiku")]
    public void Built_in_catalogue_covers_the_named_families(string model) =>
        Assert.NotNull(PriceBook.BuiltIn.PriceAt(model, Current));

    [Fact]
    public void Every_built_in_model_has_a_price_from_the_beginning_of_time()
    {
        foreach (var model in BuiltInPrices.All.Select(p => p.Model).Distinct())
        {
            Assert.NotNull(PriceBook.BuiltIn.PriceAt(model, BuiltInPrices.BeginningOfTime));
        }
    }

    [Fact]
    public void Cost_uses_the_cached_price_for_cached_tokens() =>
        // (1000 − 400) × 2.50 + 400 × 1.25 + 500 × 10 = 7000 micro-dollars
        Assert.Equal(0.007m, PriceBook.BuiltIn.Cost("gpt-4o", Current, 1000, 500, 400, 0));

    [Fact]
    public void Cost_is_exact_decimal() =>
        // 123 × 0.15 + 7 × 0.075 + 45 × 0.60 = 18.45 + 0.525 + 27 = 45.975 micro-dollars
        Assert.Equal(0.000045975m, PriceBook.BuiltIn.Cost("gpt-4o-mini", Current, 130, 45, 7, 0));

    [Fact]
    public void Cost_without_a_cached_price_uses_the_input_price() =>
        // gpt-4: 1000 × 30 + 100 × 60 = 36000 micro-dollars, cached or not
        Assert.Equal(0.036m, PriceBook.BuiltIn.Cost("gpt-4", Current, 1000, 100, 400, 0));

    [Fact]
    public void Cost_of_zero_tokens_is_zero() =>
        Assert.Equal(0m, PriceBook.BuiltIn.Cost("gpt-4o", Current, 0, 0, 0, 0));

    [Theory]
    [InlineData("gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("claude-sonnet-4-20250514", "claude-sonnet-4")]
    [InlineData("claude-3-5-sonnet-20241022", "claude-3-5-sonnet")]
    [InlineData("gpt-4o-mini-latest", "gpt-4o-mini")]
    [InlineData("GPT-4O", "gpt-4o")]
    [InlineData("Claude-Sonnet-4-20250514", "claude-sonnet-4")]
    [InlineData("gpt-4o-mini", "gpt-4o-mini")]
    public void Snapshot_names_match_their_catalogue_model(string model, string catalogueName)
    {
        Assert.Equal(catalogueName, PriceBook.BuiltIn.CatalogueName(model));
        Assert.Equal(PriceBook.BuiltIn.PriceAt(catalogueName, Current), PriceBook.BuiltIn.PriceAt(model, Current));
    }

    [Fact]
    public void Exact_match_wins_over_a_stripped_name()
    {
        var book = new PriceBook(
        [
            new ModelPrice("x", BuiltInPrices.BeginningOfTime, 1m, 2m, null),
            new ModelPrice("x-2024-01-01", BuiltInPrices.BeginningOfTime, 5m, 6m, null),
        ]);
        Assert.Equal("x-2024-01-01", book.CatalogueName("x-2024-01-01"));
        Assert.Equal(5m, book.PriceAt("x-2024-01-01", Current)!.InputUsdPerMillion);
        Assert.Equal(1m, book.PriceAt("x-2025-01-01", Current)!.InputUsdPerMillion);
    }

    [Theory]
    [InlineData("llama-3-70b")]
    [InlineData("gpt-5-turbo-ultra")]
    [InlineData("")]
    public void Unknown_model_has_no_cost(string model)
    {
        Assert.Null(PriceBook.BuiltIn.CatalogueName(model));
        Assert.Null(PriceBook.BuiltIn.Cost(model, Current, 1000, 1000, 0, 0));
    }

    [Fact]
    public void O3_is_priced_by_the_period_in_effect_at_the_event()
    {
        var before = new DateTimeOffset(2025, 6, 9, 23, 59, 59, TimeSpan.Zero);
        var from = Day(2025, 6, 10);
        var old = PriceBook.BuiltIn.PriceAt("o3", before)!;
        var @new = PriceBook.BuiltIn.PriceAt("o3", from)!;
        Assert.Equal((10m, 40m, (decimal?)2.50m), (old.InputUsdPerMillion, old.OutputUsdPerMillion, old.CachedInputUsdPerMillion));
        Assert.Equal((2m, 8m, (decimal?)0.50m), (@new.InputUsdPerMillion, @new.OutputUsdPerMillion, @new.CachedInputUsdPerMillion));
        // 1M prompt (200k cached) + 1M completion
        Assert.Equal(8m + 0.5m + 40m, PriceBook.BuiltIn.Cost("o3", before, 1_000_000, 1_000_000, 200_000, 0));
        Assert.Equal(1.6m + 0.1m + 8m, PriceBook.BuiltIn.Cost("o3-2025-04-16", from, 1_000_000, 1_000_000, 200_000, 0));
    }

    [Fact]
    public void Custom_book_picks_the_period_in_effect_whatever_the_list_order()
    {
        var book = new PriceBook(
        [
            new ModelPrice("My-Model", Day(2025, 3, 1), 3m, 30m, null),
            new ModelPrice("my-model", Day(2025, 1, 1), 1m, 10m, 0.5m),
            new ModelPrice("My-Model", Day(2025, 2, 1), 2m, 20m, null),
            new ModelPrice("other", Day(2025, 1, 1), 100m, 100m, null),
        ]);
        Assert.Null(book.PriceAt("my-model", Day(2024, 12, 31)));
        Assert.Equal(1m, book.PriceAt("my-model", Day(2025, 1, 1))!.InputUsdPerMillion);
        Assert.Equal(1m, book.PriceAt("MY-MODEL", Day(2025, 1, 31))!.InputUsdPerMillion);
        Assert.Equal(2m, book.PriceAt("my-model", Day(2025, 2, 1))!.InputUsdPerMillion);
        Assert.Equal(3m, book.PriceAt("my-model-latest", Day(2026, 1, 1))!.InputUsdPerMillion);
        // 2M prompt of which 1M cached at 0.5, 1M completion at 10: 1 + 0.5 + 10
        Assert.Equal(11.5m, book.Cost("my-model", Day(2025, 1, 15), 2_000_000, 1_000_000, 1_000_000, 0));
        Assert.Null(book.Cost("gpt-4o", Current, 1, 1, 0, 0));
    }
}
