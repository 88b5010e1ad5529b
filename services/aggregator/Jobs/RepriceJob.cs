using LlmMonitor.Aggregator.Pricing;
using System.Diagnostics;
using Hangfire.Server;
using LlmMonitor.Aggregator.Storage;
using LlmMonitor.Jobs;
using LlmMonitor.Pricing;
using LlmMonitor.Storage;

namespace LlmMonitor.Aggregator.Jobs;

/// <summary>
/// Re-prices from the catalogue as it is now, one partition (UTC day) per transaction, newest day first so that the
/// dashboard's recent figures change first. Each chunk sets a cost only where it differs from the catalogue's, so a
/// second run, or a run after a crash or cancellation part-way, finds the finished days already right and goes on.
/// </summary>
public sealed class RepriceJob(EventPartitions partitions, Repricer repricer, PriceStore store, IJobProgress progress, ILogger<RepriceJob> log)
    : IRepriceJob
{
    public const int Parallelism = 2;

    public async Task<string> RepriceModelAsync(string model, DateTimeOffset from, PerformContext? context, CancellationToken ct)
    {
        var name = model.Trim().ToLowerInvariant();
        var prices = new PriceCatalogue(await store.LoadAsync(ct));
        var until = prices.PeriodEnd(name, from);
        // Event models that may be priced under this name: the name itself and its snapshots (name-2024-08-06, …).
        return await RunAsync($"{name} from {from:u} until {(until is { } u ? u.ToString("u", null) : "now")}", from, until,
            m => ModelNames.Candidates(m).Contains(name), onlyUnpriced: false, prices, context, ct);
    }

    public async Task<string> PriceUnpricedAsync(PerformContext? context, CancellationToken ct)
    {
        var prices = new PriceCatalogue(await store.LoadAsync(ct));
        return await RunAsync("unpriced events", DateTimeOffset.MinValue, null,
            m => prices.Book.CatalogueName(m) is not null, onlyUnpriced: true, prices, context, ct);
    }

    private async Task<string> RunAsync(string what, DateTimeOffset from, DateTimeOffset? until, Func<string, bool> affects,
        bool onlyUnpriced, PriceCatalogue prices, PerformContext? context, CancellationToken ct)
    {
        var chunks = (await partitions.ListAsync(ct))
            .Where(p => p.Usable && p.End > from && (until is null || p.Start < until))
            .OrderByDescending(p => p.Day)
            .Select(p => (p.Day, Start: p.Start > from ? p.Start : from, End: until < p.End ? until.Value : p.End))
            .ToList();
        var clock = Stopwatch.StartNew();
        long changed = 0;
        var done = 0;
        var report = new Lock();
        // Days are independent (their own events, hourly rows, daily rows and advisory lock), so two run at once:
        // PostgreSQL does the work, and one UPDATE keeps only one of its cores busy.
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (chunk, token) =>
        {
            var count = await repricer.RepriceAsync(chunk.Start, chunk.End, affects, onlyUnpriced, prices, token);
            lock (report)
            {
                changed += count;
                done++;
                progress.Report(context, $"{done} of {chunks.Count} days done (last {chunk.Day:yyyy-MM-dd}); {changed} events re-priced");
            }
        });

        var summary = $"Re-priced {what}: {changed} events in {chunks.Count} days, {clock.Elapsed.TotalSeconds:0.0} s";
        log.LogInformation("{Summary}", summary);
        return summary;
    }
}
