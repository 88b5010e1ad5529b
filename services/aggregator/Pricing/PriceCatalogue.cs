using LlmMonitor.Pricing;

namespace LlmMonitor.Aggregator.Pricing;

/// <summary>The catalogue as loaded for one job run: the writer's <see cref="PriceBook"/> plus each model's periods.</summary>
public sealed class PriceCatalogue
{
    private readonly Dictionary<string, ModelPrice[]> _periods;

    public PriceCatalogue(IEnumerable<ModelPrice> prices)
    {
        var list = prices.ToList();
        Book = new PriceBook(list);
        _periods = list.GroupBy(p => p.Model.ToLowerInvariant())
            .ToDictionary(g => g.Key, g => g.OrderBy(p => p.EffectiveFrom).ToArray());
    }

    public PriceBook Book { get; }

    /// <summary>The periods of a catalogue name, oldest first (empty when it has none).</summary>
    public IReadOnlyList<ModelPrice> Periods(string catalogueName) =>
        _periods.TryGetValue(catalogueName.ToLowerInvariant(), out var periods) ? periods : [];

    /// <summary>When the period of <paramref name="catalogueName"/> that is in effect at <paramref name="from"/> ends (null: it has not).</summary>
    public DateTimeOffset? PeriodEnd(string catalogueName, DateTimeOffset from) =>
        Periods(catalogueName).Where(p => p.EffectiveFrom > from).Select(p => (DateTimeOffset?)p.EffectiveFrom).FirstOrDefault();
}
