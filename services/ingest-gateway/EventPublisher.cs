using System.Threading.Channels;
using LlmMonitor.Contracts;
using LlmMonitor.Events;
using MassTransit;

namespace LlmMonitor.IngestGateway;

/// <summary>
/// Publishes accepted events and answers only once RabbitMQ has confirmed them. Requests that arrive while
/// earlier publishes await their confirms go out together as one message (group commit): a request's events
/// always travel in one message, the broker and the writer see fewer and larger messages, and a single-event
/// POST waits at most about one extra confirm round trip.
/// </summary>
public sealed class EventPublisher(IBus bus, IBusControl control, ILogger<EventPublisher> log) : BackgroundService
{
    private const int MaxEventsPerMessage = 1000;
    private const int PublishersInFlight = 4;
    private static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false });

    /// <returns>False when the broker could not take the events; none of them was accepted then.</returns>
    public Task<bool> TryPublishAsync(IReadOnlyList<EventInput> events, DateTimeOffset receivedAt, CancellationToken ct) =>
        TryPublishAsync(EventsJson.Render(events), receivedAt, ct);

    /// <returns>False when the broker could not take the events; none of them was accepted then.</returns>
    public async Task<bool> TryPublishAsync(EventsJson events, DateTimeOffset receivedAt, CancellationToken ct)
    {
        if (control.CheckHealth().Status == BusHealthStatus.Unhealthy)
        {
            return false;
        }

        var pending = new Pending(events, receivedAt);
        if (!_pending.Writer.TryWrite(pending))
        {
            return false;
        }

        return await pending.Done.Task.WaitAsync(ct);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, PublishersInFlight).Select(_ => PublishLoopAsync(stoppingToken)));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task PublishLoopAsync(CancellationToken stoppingToken)
    {
        var reader = _pending.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            var group = TakeGroup(reader);
            if (group.Count > 0)
            {
                var published = await PublishAsync(group, stoppingToken);
                group.ForEach(p => p.Done.TrySetResult(published));
            }
        }
    }

    private static List<Pending> TakeGroup(ChannelReader<Pending> reader)
    {
        var group = new List<Pending>();
        var events = 0;
        while (reader.TryPeek(out var next) && (group.Count == 0 || events + next.Events.Count <= MaxEventsPerMessage)
               && reader.TryRead(out next))
        {
            group.Add(next);
            events += next.Events.Count;
        }

        return group;
    }

    private async Task<bool> PublishAsync(List<Pending> group, CancellationToken stoppingToken)
    {
        var message = PublishedEvents.Join(group.ConvertAll(p => p.Events));
        var receivedAt = group.Min(p => p.ReceivedAt);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(ConfirmTimeout);
        try
        {
            await bus.Publish(message,
                context => context.Headers.Set(Topology.ReceivedAtHeader, IsoTimestamp.Format(receivedAt)),
                timeout.Token);
            return true;
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Publishing {Count} events failed", message.Count);
            return false;
        }
    }

    private sealed record Pending(EventsJson Events, DateTimeOffset ReceivedAt)
    {
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
