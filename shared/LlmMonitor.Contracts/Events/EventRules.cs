namespace LlmMonitor.Events;

/// <summary>The limits of the event contract, in one place.</summary>
public static class EventRules
{
    public const int ModelMaxLength = 200;
    public const int ProviderMaxLength = 100;
    public const int ErrorMessageMaxLength = 4_000;
    public const int MaxTags = 50;
    public const int TagKeyMaxLength = 64;
    public const int TagValueMaxLength = 256;
    public const int TextMaxBytes = 64 * 1024;
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromDays(1);

    /// <summary>The most <c>prompt_tokens</c>, <c>completion_tokens</c> or <c>cached_tokens</c> one call may report.</summary>
    public const long MaxTokens = 100_000_000;

    /// <summary>A <c>total_tokens</c> that is sent may be at most prompt + completion at their maxima.</summary>
    public const long MaxTotalTokens = 2 * MaxTokens;

    /// <summary>A day.</summary>
    public const double MaxLatencyMs = 86_400_000;

    public const decimal MaxCostUsd = 100_000m;

    /// <summary>
    /// A sent cost is kept to a trillionth of a dollar. PostgreSQL sums numerics exactly, and Npgsql cannot read a sum
    /// of more than 28 significant digits into a decimal: a year of a million calls an hour at <see cref="MaxCostUsd"/>
    /// stays under 10^15, so with 12 decimals any sum the read API makes has at most 27.
    /// </summary>
    public const int CostDecimals = 12;
}
