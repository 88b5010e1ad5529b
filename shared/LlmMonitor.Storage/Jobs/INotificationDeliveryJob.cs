using Hangfire;
using Hangfire.Server;

namespace LlmMonitor.Jobs;

/// <summary>
/// Sends one notification to one channel (a row of notification_deliveries). A failed attempt throws, and Hangfire
/// retries it with backoff (10 s, 30 s, 1 min, 5 min, 15 min, 30 min, 1 h, 2 h), then leaves it failed on /hangfire.
/// Runs on its own queue and workers, so slow receivers never hold up the evaluation.
/// </summary>
public interface INotificationDeliveryJob
{
    [JobDisplayName("Notify: {1}")]
    [Queue(JobQueues.Notifications)]
    [AutomaticRetry(Attempts = 8, DelaysInSeconds = [10, 30, 60, 300, 900, 1800, 3600, 7200], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    Task<string> DeliverAsync(long deliveryId, string description, PerformContext? context, CancellationToken ct);
}
