using Hangfire;
using Hangfire.Server;

namespace LlmMonitor.Jobs;

/// <summary>
/// Drops the llm_events partitions that lie wholly before now − RETENTION_DAYS (whole partitions, never rows)
/// and the rollup rows older than ROLLUP_RETENTION_DAYS.
/// </summary>
public interface IRetentionJob
{
    [JobDisplayName("Retention")]
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    Task<string> RunAsync(PerformContext? context, CancellationToken ct);
}
