using Hangfire;
using Hangfire.Server;

namespace LlmMonitor.Jobs;

/// <summary>Compares every rollup table with a GROUP BY over llm_events for the last days, and repairs any drift.</summary>
public interface IRollupCheckJob
{
    [JobDisplayName("Rollup check, last {0} days")]
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    Task<string> RunAsync(int days, PerformContext? context, CancellationToken ct);
}
