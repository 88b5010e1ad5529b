using LlmMonitor.Contracts;
using LlmMonitor.Events;
using MassTransit;

namespace LlmMonitor.IngestGateway;

/// <summary>Publishes accepted events as one message and returns only once RabbitMQ has confirmed it.</summary>
public sealed class EventPublisher(IBus bus, IBusControl control, ILogger<EventPublisher> log)
{
    private static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(10);

    /// <returns>False when the broker could not take the message; nothing was accepted then.</returns>
    public async Task<bool> TryPublishAsync(IReadOnlyList<EventInput> events, DateTimeOffset receivedAt, CancellationToken ct)
    {
        if (control.CheckHealth().Status == BusHealthStatus.Unhealthy)
        {
            return false;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ConfirmTimeout);
        try
        {
            await bus.Publish(new LlmCallsRecorded(events),
                context => context.Headers.Set(Topology.ReceivedAtHeader, IsoTimestamp.Format(receivedAt)),
                timeout.Token);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Publishing {Count} events failed", events.Count);
            return false;
        }
    }
}
