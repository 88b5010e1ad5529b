using LlmMonitor.Storage.Rollups;
using Hangfire.Server;
using LlmMonitor.Aggregator.Storage;
using LlmMonitor.Configuration;
using LlmMonitor.Jobs;
using LlmMonitor.Storage;
using Microsoft.Extensions.Options;

namespace LlmMonitor.Aggregator.Jobs;

public sealed class PartitionUpkeepJob(
    Partitions partitions, EventKeyPruner keys, RunningTotalBounds bounds, RecentTotals recent, TimeProvider clock, IOptions<MonitorOptions> options, ILogger<PartitionUpkeepJob> log)
    : IPartitionUpkeepJob
{
    public async Task<string> RunAsync(PerformContext? context, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (created, from, to) = await partitions.EnsureAcceptedWindowAsync(now, options.Value.RetentionDays, ct);
        if (created > 0)
        {
            log.LogInformation("Partition upkeep created {Created} partitions of llm_events", created);
        }

        var forgotten = await keys.PruneAsync(now, ct);
        var firstBound = UtcDays.FirstKept(now, options.Value.RetentionDays);
        var bounded = await bounds.EnsureAsync(firstBound, now, ct);
        var moved = await recent.AdvanceAsync(now, ct);
        return $"{created} partitions created; every day from {from:yyyy-MM-dd} to {to:yyyy-MM-dd} has one; {forgotten} event ids older than a day forgotten; "
            + $"{bounded} running-total boundaries added (kept from {firstBound:yyyy-MM-dd}); the recent totals moved up by {moved} hours";
    }
}
