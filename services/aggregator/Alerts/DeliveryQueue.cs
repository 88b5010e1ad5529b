using Hangfire;
using LlmMonitor.Alerts.Storage;
using LlmMonitor.Jobs;

namespace LlmMonitor.Aggregator.Alerts;

/// <summary>
/// Enqueues a delivery job for every notification that has none: those the evaluation just recorded, and any left by a
/// run that stopped between its commit and its enqueue. A row enqueued twice (a stop between the enqueue and noting its
/// job) is still sent once: each attempt claims the row first.
/// </summary>
public sealed class DeliveryQueue(NotificationOutbox outbox, IBackgroundJobClient jobs)
{
    public async Task<int> EnqueuePendingAsync(CancellationToken ct)
    {
        var pending = await outbox.UnqueuedAsync(ct);
        foreach (var delivery in pending)
        {
            var jobId = jobs.Enqueue<INotificationDeliveryJob>(j => j.DeliverAsync(delivery.Id, delivery.Description, null, CancellationToken.None));
            await outbox.SetJobAsync(delivery.Id, jobId, ct);
        }

        return pending.Count;
    }
}
