namespace LlmMonitor.Pricing;

/// <summary>One price period of a model, in USD per million tokens.</summary>
public sealed record ModelPrice(
    string Model,
    DateTimeOffset EffectiveFrom,
    decimal InputUsdPerMillion,
    decimal OutputUsdPerMillion,
    decimal? CachedInputUsdPerMillion)
{
    /// <summary>
    /// Cost = (prompt − cached) × input + cached × cached-input (input where unset) + completion × output, kept to
    /// the decimals of a sent cost so that sums of many stay readable as a .NET decimal.
    /// </summary>
    public decimal Cost(long promptTokens, long completionTokens, long cachedTokens)
    {
        var cachedPrice = CachedInputUsdPerMillion ?? InputUsdPerMillion;
        var micro = (promptTokens - cachedTokens) * InputUsdPerMillion
                    + cachedTokens * cachedPrice
                    + completionTokens * OutputUsdPerMillion;
        return Math.Round(micro / 1_000_000m, Events.EventRules.CostDecimals);
    }
}
