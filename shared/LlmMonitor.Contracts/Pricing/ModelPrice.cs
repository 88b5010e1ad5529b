namespace LlmMonitor.Pricing;

/// <summary>One price period of a model, in USD per million tokens.</summary>
/// <param name="CachedInputUsdPerMillion">Prompt tokens read from the provider's cache; the input price where unset.</param>
/// <param name="CacheWriteUsdPerMillion">Prompt tokens written to the provider's cache; the input price where unset.</param>
public sealed record ModelPrice(
    string Model,
    DateTimeOffset EffectiveFrom,
    decimal InputUsdPerMillion,
    decimal OutputUsdPerMillion,
    decimal? CachedInputUsdPerMillion,
    decimal? CacheWriteUsdPerMillion = null)
{
    /// <summary>
    /// Cost = (prompt − cached − cache_write) × input + cached × cached-input + cache_write × cache-write
    /// + completion × output (reasoning tokens are completion tokens), kept to the decimals of a sent cost so that
    /// sums of many stay readable as a .NET decimal. The re-pricing SQL (RepriceSql) computes the same.
    /// </summary>
    public decimal Cost(long promptTokens, long completionTokens, long cachedTokens, long cacheWriteTokens)
    {
        var micro = (promptTokens - cachedTokens - cacheWriteTokens) * InputUsdPerMillion
                    + cachedTokens * (CachedInputUsdPerMillion ?? InputUsdPerMillion)
                    + cacheWriteTokens * (CacheWriteUsdPerMillion ?? InputUsdPerMillion)
                    + completionTokens * OutputUsdPerMillion;
        return Math.Round(micro / 1_000_000m, Events.EventRules.CostDecimals);
    }
}
