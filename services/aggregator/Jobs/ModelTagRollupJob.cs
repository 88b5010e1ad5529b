using Hangfire.Server;
using LlmMonitor.Jobs;
using LlmMonitor.Storage.Rollups;

namespace LlmMonitor.Aggregator.Jobs;

public sealed class ModelTagRollupJob(ModelTagRollups rollups, TimeProvider clock) : IModelTagRollupJob
{
    /// <summary>A run's share of a backfill (the first run on 10M events has ~720 hours to build, ~0.4 s each); the next run goes on.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromMinutes(3);

    public async Task<string> RunAsync(PerformContext? context, CancellationToken ct)
    {
        var (built, more) = await rollups.RefreshAsync(clock.GetUtcNow(), Budget, ct);
        return more ? $"{built} hours built; more are stale, the next run goes on" : $"{built} hours built; none is stale";
    }
}
