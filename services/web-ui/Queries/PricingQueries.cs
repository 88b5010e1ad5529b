using LlmMonitor.Storage;
using LlmMonitor.Storage.Resilience;

namespace LlmMonitor.WebUi.Queries;

public sealed record PricePeriod(DateTimeOffset EffectiveFrom, decimal InputUsdPerMillion, decimal OutputUsdPerMillion,
    decimal? CachedInputUsdPerMillion, decimal? CacheWriteUsdPerMillion);

public sealed record ModelPricing(string Model, PricePeriod Current, IReadOnlyList<PricePeriod> Periods);

/// <summary>The pricing catalogue (model_prices) with every price period, newest period first.</summary>
public sealed class PricingQueries(PriceStore prices, ReadRetry retry, TimeProvider clock)
{
    public async Task<IReadOnlyList<ModelPricing>> CatalogueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return (await retry.RunAsync(prices.LoadAsync, ct))
            .GroupBy(p => p.Model, StringComparer.Ordinal)
            .Select(g =>
            {
                var periods = g.OrderByDescending(p => p.EffectiveFrom)
                    .Select(p => new PricePeriod(p.EffectiveFrom, p.InputUsdPerMillion, p.OutputUsdPerMillion, p.CachedInputUsdPerMillion,
                        p.CacheWriteUsdPerMillion))
                    .ToList();
                return new ModelPricing(g.Key, periods.FirstOrDefault(p => p.EffectiveFrom <= now) ?? periods[^1], periods);
            })
            .OrderBy(m => m.Model, StringComparer.Ordinal)
            .ToList();
    }
}
