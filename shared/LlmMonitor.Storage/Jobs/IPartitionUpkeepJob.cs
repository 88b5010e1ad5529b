using Hangfire;
using Hangfire.Server;

namespace LlmMonitor.Jobs;

/// <summary>Creates the daily partitions of llm_events for every day the validator accepts, and a day ahead.</summary>
public interface IPartitionUpkeepJob
{
    [JobDisplayName("Partition upkeep")]
    [AutomaticRetry(Attempts = 3)]
    Task<string> RunAsync(PerformContext? context, CancellationToken ct);
}
