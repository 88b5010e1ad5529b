using System.Threading.Channels;
using LlmMonitor.Contracts;
using LlmMonitor.Events;
using MassTransit;
using Microsoft.Extensions.Options;

namespace LlmMonitor.IngestGateway;

/// <summary>
/// Publishes accepted events and answers only once RabbitMQ has confirmed them. Requests that arrive while
/// earlier publishes await their confirms go out together as one message (group commit): a request's events
/// always travel in one message, the broker and the writer see fewer and larger messages, and a single-event
/// POST waits at most about one extra confirm round trip. Publishes are mandatory: a message that reaches no
/// queue is returned by the broker and its requests are refused, never answered 202. The backlog waiting for a
/// publisher is bounded (<see cref="PublishBacklog"/>); beyond it requests are refused at once.
/// </summary>
public sealed class EventPublisher(IBus bus, IBusControl control, IOptions<PublishBacklog> backlogLimit, ILogger<EventPublisher> log)
    : BackgroundService
{
    private const int PublishersInFlight = 4;
    private static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false });
    private long _backlogBytes;

    /// <returns>
    /// False when the broker could not take the events or the backlog is full; none of them was accepted then.
    /// Events of a request cancelled before their publish began are not published.
    /// </returns>
    public async Task<bool> TryPublishAsync(EventsJson events, DateTimeOffset receivedAt, CancellationToken ct)
    {
        if (control.CheckHealth().Status == BusHealthStatus.Unhealthy)
        {
            return false;
        }

        var size = events.Array.Length;
        var backlog = Interlocked.Add(ref _backlogBytes, size);
        if (backlog > backlogLimit.Value.Bytes && backlog > size)
        {
            Interlocked.Add(ref _backlogBytes, -size);
            return false;
        }

        var pending = new Pending(events, receivedAt, ct);
        try
        {
            return _pending.Writer.TryWrite(pending) && await pending.Done.Task.WaitAsync(ct);
        }
        finally
        {
            Interlocked.Add(ref _backlogBytes, -size);
        }
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

    /// <summary>Requests that fit in one message (the writer refuses larger ones); cancelled ones are dropped.</summary>
    private static List<Pending> TakeGroup(ChannelReader<Pending> reader)
    {
        var group = new List<Pending>();
        var events = 0;
        var bytes = 2;
        while (reader.TryPeek(out var next)
               && (group.Count == 0 || (events + next.Events.Count <= IngestLimits.MessageMaxEvents && bytes + next.Events.Objects.Length + 1 <= IngestLimits.MessageMaxBytes))
               && reader.TryRead(out next))
        {
            if (next.Cancelled.IsCancellationRequested)
            {
                next.Done.TrySetResult(false);
                continue;
            }

            group.Add(next);
            events += next.Events.Count;
            bytes += next.Events.Objects.Length + 1;
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
            await bus.Publish(message, context =>
            {
                context.Headers.Set(Topology.ReceivedAtHeader, IsoTimestamp.Format(receivedAt));
                if (context.TryGetPayload<RabbitMqSendContext>(out var amqp))
                {
                    amqp.Mandatory = true;
                }
            }, timeout.Token);
            return true;
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Publishing {Count} events failed", message.Count);
            return false;
        }
    }

    private sealed record Pending(EventsJson Events, DateTimeOffset ReceivedAt, CancellationToken Cancelled)
    {
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
