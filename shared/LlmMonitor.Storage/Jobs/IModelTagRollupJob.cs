using Hangfire;
using Hangfire.Server;

namespace LlmMonitor.Jobs;

/// <summary>Builds the tag sums per model of the hours that closed or changed since its last run, and moves their recent totals.</summary>
public interface IModelTagRollupJob
{
    [JobDisplayName("Model tag rollup")]
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    Task<string> RunAsync(PerformContext? context, CancellationToken ct);
}
