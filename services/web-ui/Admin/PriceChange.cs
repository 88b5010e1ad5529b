namespace LlmMonitor.WebUi.Admin;

/// <summary>The body of PUT /api/pricing/{model} (snake_case on the wire), USD per million tokens.</summary>
/// <param name="CachedInputUsdPerMillion">Cache reads; unset: the input price applies.</param>
/// <param name="CacheWriteUsdPerMillion">Cache writes; unset: the input price applies.</param>
/// <param name="EffectiveFrom">Default: the beginning of time for a new model, now for a known one.</param>
public sealed record PriceChange(
    decimal? InputUsdPerMillion,
    decimal? OutputUsdPerMillion,
    decimal? CachedInputUsdPerMillion,
    decimal? CacheWriteUsdPerMillion,
    DateTimeOffset? EffectiveFrom)
{
    public const int MaxModelLength = 200;
    private const decimal MaxPrice = 1_000_000m;

    public Dictionary<string, string[]> Validate(string model)
    {
        var errors = new Dictionary<string, string[]>();
        if (model.Trim().Length is 0 or > MaxModelLength)
        {
            errors["model"] = [$"must be 1-{MaxModelLength} characters"];
        }

        Check(errors, "input_usd_per_million", InputUsdPerMillion, required: true);
        Check(errors, "output_usd_per_million", OutputUsdPerMillion, required: true);
        Check(errors, "cached_input_usd_per_million", CachedInputUsdPerMillion, required: false);
        Check(errors, "cache_write_usd_per_million", CacheWriteUsdPerMillion, required: false);
        return errors;
    }

    private static void Check(Dictionary<string, string[]> errors, string field, decimal? value, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                errors[field] = ["is required"];
            }
        }
        else if (value < 0 || value > MaxPrice)
        {
            errors[field] = [$"must be between 0 and {MaxPrice:0}"];
        }
    }
}

/// <summary>What a price change did: the period as stored and the id of the re-pricing job it enqueued.</summary>
public sealed record PriceChangeResult(
    string Model,
    DateTimeOffset EffectiveFrom,
    decimal InputUsdPerMillion,
    decimal OutputUsdPerMillion,
    decimal? CachedInputUsdPerMillion,
    decimal? CacheWriteUsdPerMillion,
    string RepriceJobId);
