using Hangfire.Server;
using LlmMonitor.Aggregator.Storage;
using LlmMonitor.Configuration;
using LlmMonitor.Jobs;
using LlmMonitor.Storage;
using Microsoft.Extensions.Options;

namespace LlmMonitor.Aggregator.Jobs;

public sealed class PartitionUpkeepJob(Partitions partitions, EventKeyPruner keys, TimeProvider clock, IOptions<MonitorOptions> options, ILogger<PartitionUpkeepJob> log)
    : IPartitionUpkeepJob
{
    public async Task<string> RunAsync(PerformContext? context, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // The validator accepts timestamps from now − RETENTION_DAYS to now + 1 day; one more day ahead for slack.
        var from = UtcDays.FirstKept(now, options.Value.RetentionDays);
        var to = UtcDays.Of(now).AddDays(2);
        var created = await partitions.EnsureAsync(from, to, ct);
        if (created > 0)
        {
            log.LogInformation("Partition upkeep created {Created} partitions of llm_events", created);
        }

        var forgotten = await keys.PruneAsync(now, ct);
        return $"{created} partitions created; every day from {from:yyyy-MM-dd} to {to:yyyy-MM-dd} has one; {forgotten} event ids older than a day forgotten";
    }
}
