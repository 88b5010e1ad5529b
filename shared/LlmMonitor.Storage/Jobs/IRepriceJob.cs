using Hangfire;
using Hangfire.Server;

namespace LlmMonitor.Jobs;

/// <summary>
/// Re-prices catalogue-priced events from the pricing catalogue as it is when the job runs, a partition (UTC day)
/// per transaction, keeping every rollup equal to a GROUP BY over llm_events. Client-priced events are never touched.
/// </summary>
public interface IRepriceJob
{
    /// <summary>After a price change: the events of <paramref name="model"/> in the price period that starts at <paramref name="from"/>.</summary>
    [JobDisplayName("Re-price {0} from {1:u}")]
    Task<string> RepriceModelAsync(string model, DateTimeOffset from, PerformContext? context, CancellationToken ct);

    /// <summary>Nightly catch-up: prices the events that were stored unpriced and whose model has a price now.</summary>
    [JobDisplayName("Price events that arrived unpriced")]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    Task<string> PriceUnpricedAsync(PerformContext? context, CancellationToken ct);
}
