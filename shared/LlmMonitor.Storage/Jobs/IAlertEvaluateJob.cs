using Hangfire;
using Hangfire.Server;

namespace LlmMonitor.Jobs;

/// <summary>
/// Every minute: evaluates the alert rules and budgets, records each change of state (each budget percent passed) with
/// its notifications, and enqueues a delivery job for every notification that has none yet.
/// </summary>
public interface IAlertEvaluateJob
{
    // The next minute's run evaluates again: a failed run is shown, not retried, and runs never overlap.
    [JobDisplayName("Evaluate alerts and budgets")]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 50)]
    Task<string> RunAsync(PerformContext? context, CancellationToken ct);
}
