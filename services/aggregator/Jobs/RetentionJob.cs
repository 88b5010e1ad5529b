using Hangfire.Server;
using LlmMonitor.Aggregator.Storage;
using LlmMonitor.Configuration;
using LlmMonitor.Jobs;
using Microsoft.Extensions.Options;

namespace LlmMonitor.Aggregator.Jobs;

public sealed class RetentionJob(
    EventPartitions partitions,
    PartitionDropper dropper,
    RollupPruner pruner,
    IJobProgress progress,
    TimeProvider clock,
    IOptions<MonitorOptions> options,
    ILogger<RetentionJob> log) : IRetentionJob
{
    public async Task<string> RunAsync(PerformContext? context, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var firstKept = UtcDays.FirstKept(now, options.Value.RetentionDays);
        // An interrupted detach first: PostgreSQL allows one pending detach per table, so it blocks the others.
        var old = (await partitions.ListAsync(ct)).Where(p => p.Day < firstKept)
            .OrderByDescending(p => p.DetachPending).ThenBy(p => p.Day).ToList();
        foreach (var partition in old)
        {
            await dropper.DropAsync(partition, ct);
            log.LogInformation("Retention dropped partition {Partition} (about {Rows} events of {Day:yyyy-MM-dd}; RETENTION_DAYS={Days})",
                partition.Name, partition.EstimatedRows, partition.Day, options.Value.RetentionDays);
            progress.Report(context, $"dropped {partition.Name} ({old.IndexOf(partition) + 1} of {old.Count})");
        }

        // Rollups outlive the events (never shorter than them, so that rollups equal a GROUP BY wherever events exist).
        var rollupFirstKept = UtcDays.FirstKept(now, Math.Max(options.Value.RollupRetentionDays, options.Value.RetentionDays));
        var deleted = await pruner.PruneBeforeAsync(rollupFirstKept, ct);
        if (deleted > 0)
        {
            log.LogInformation("Retention deleted {Rows} rollup rows of days before {Day:yyyy-MM-dd}", deleted, rollupFirstKept);
        }

        var dropped = old.Count == 0 ? "no partition" : string.Join(", ", old.Select(p => p.Name).Order(StringComparer.Ordinal));
        return $"events kept from {firstKept:yyyy-MM-dd}: dropped {dropped}; rollups kept from {rollupFirstKept:yyyy-MM-dd}: deleted {deleted} rows";
    }
}
