using Hangfire.Server;
using LlmMonitor.Aggregator.Alerts;
using LlmMonitor.Alerts.Notifications;
using LlmMonitor.Alerts.Storage;
using LlmMonitor.Jobs;

namespace LlmMonitor.Aggregator.Jobs;

public sealed class NotificationDeliveryJob(NotificationOutbox outbox, NotificationSender sender, ILogger<NotificationDeliveryJob> log) : INotificationDeliveryJob
{
    public async Task<string> DeliverAsync(long deliveryId, string description, PerformContext? context, CancellationToken ct)
    {
        var claim = await outbox.ClaimAsync(deliveryId, ct);
        switch (claim.Outcome)
        {
            case ClaimOutcome.Delivered:
                return "delivered already";
            case ClaimOutcome.Gone:
                return "nothing to send: its rule or budget was deleted";
            case ClaimOutcome.Busy:
                // Not done: the other attempt may fail, or may have died holding the claim. Try again later.
                throw new NotificationNotDelivered($"another attempt is sending it ({description})");
        }

        SendResult result;
        try
        {
            result = await sender.SendAsync(claim.Notification!, ct);
        }
        catch (OperationCanceledException)
        {
            await outbox.FailAsync(deliveryId, null, "interrupted: the aggregator stopped", CancellationToken.None);
            throw;
        }

        if (result.Delivered)
        {
            await outbox.CompleteAsync(deliveryId, result.Status, ct);
            return $"delivered: HTTP {result.Status}";
        }

        await outbox.FailAsync(deliveryId, result.Status, result.Error!, ct);
        log.LogWarning("Notification {Delivery} ({Description}) not delivered: {Error}", deliveryId, description, result.Error);
        // The reason first: /hangfire shows the first 50 characters of the message with each retry.
        throw new NotificationNotDelivered($"{result.Error} ({description})");
    }
}
