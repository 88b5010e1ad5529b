using LlmMonitor.Pricing;

namespace LlmMonitor.Aggregator.Pricing;

/// <summary>
/// For a chunk [start, end): which price applies to the events of each model name, as time segments. This is the
/// writer's rule (<see cref="PriceBook"/>: exact name, else without a snapshot suffix; the period in effect at the
/// event's timestamp) resolved once per model name, so that SQL only joins and multiplies. Parallel arrays for unnest().
/// </summary>
public sealed class PriceMap
{
    public List<string> Models { get; } = [];
    public List<DateTimeOffset> From { get; } = [];
    public List<DateTimeOffset> To { get; } = [];
    public List<decimal?> Input { get; } = [];
    public List<decimal?> Output { get; } = [];
    public List<decimal?> Cached { get; } = [];
    public List<decimal?> CacheWrite { get; } = [];

    public int Count => Models.Count;

    public static PriceMap For(IEnumerable<string> eventModels, PriceCatalogue catalogue, DateTimeOffset start, DateTimeOffset end)
    {
        var map = new PriceMap();
        foreach (var model in eventModels)
        {
            // A model with no catalogue entry keeps what it has (unpriced); nothing is ever un-priced here.
            if (catalogue.Book.CatalogueName(model) is not { } name)
            {
                continue;
            }

            var periods = catalogue.Periods(name);
            // Before the first period the catalogue has no price: PriceBook answers null there, and so does this.
            map.Add(model, start, Min(end, periods[0].EffectiveFrom), null);
            for (var i = 0; i < periods.Count; i++)
            {
                var until = i + 1 < periods.Count ? periods[i + 1].EffectiveFrom : end;
                map.Add(model, Max(start, periods[i].EffectiveFrom), Min(end, until), periods[i]);
            }
        }

        return map;
    }

    private void Add(string model, DateTimeOffset from, DateTimeOffset to, ModelPrice? price)
    {
        if (from >= to)
        {
            return;
        }

        Models.Add(model);
        From.Add(from.ToUniversalTime());
        To.Add(to.ToUniversalTime());
        Input.Add(price?.InputUsdPerMillion);
        Output.Add(price?.OutputUsdPerMillion);
        Cached.Add(price?.CachedInputUsdPerMillion);
        CacheWrite.Add(price?.CacheWriteUsdPerMillion);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
