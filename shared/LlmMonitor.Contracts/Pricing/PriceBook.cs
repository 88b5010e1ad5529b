using System.Collections.Frozen;

namespace LlmMonitor.Pricing;

/// <summary>An immutable snapshot of the catalogue that answers "what did this call cost?".</summary>
public sealed class PriceBook
{
    private readonly FrozenDictionary<string, ModelPrice[]> _periods;

    public PriceBook(IEnumerable<ModelPrice> prices)
    {
        _periods = prices
            .GroupBy(p => p.Model.ToLowerInvariant())
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(p => p.EffectiveFrom).ToArray());
    }

    public static PriceBook BuiltIn { get; } = new(BuiltInPrices.All);

    /// <summary>The catalogue name a model is priced under, or null when it is unpriced.</summary>
    public string? CatalogueName(string model) => ModelNames.Candidates(model).FirstOrDefault(_periods.ContainsKey);

    public ModelPrice? PriceAt(string model, DateTimeOffset timestamp)
    {
        var name = CatalogueName(model);
        if (name is null)
        {
            return null;
        }

        ModelPrice? current = null;
        foreach (var period in _periods[name])
        {
            if (period.EffectiveFrom > timestamp)
            {
                break;
            }

            current = period;
        }

        return current;
    }

    public decimal? Cost(string model, DateTimeOffset timestamp, long promptTokens, long completionTokens, long cachedTokens, long cacheWriteTokens) =>
        PriceAt(model, timestamp)?.Cost(promptTokens, completionTokens, cachedTokens, cacheWriteTokens);

    /// <summary>The catalogue's cost of a stored call, at the price in effect at its timestamp; null when its model is unpriced.</summary>
    public decimal? Cost(Events.LlmEvent e) => Cost(e.Model, e.Timestamp, e.PromptTokens, e.CompletionTokens, e.CachedTokens, e.CacheWriteTokens);
}
