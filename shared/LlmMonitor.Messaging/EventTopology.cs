using LlmMonitor.Contracts;
using RabbitMQ.Client;

namespace LlmMonitor.Messaging;

/// <summary>
/// The broker objects events travel through, declared the same way by the gateway (so that an event accepted
/// before any writer has run waits in the queue) and by the writer (whose MassTransit endpoint declares the
/// same queue with <see cref="WriterQueueArguments"/>): the fanout exchange <c>llm-events</c> → the endpoint's
/// exchange → the quorum queue <c>llm-events-writer</c>, and the error exchange and queue.
/// </summary>
public static class EventTopology
{
    /// <summary>How many times a message may be delivered to a writer that then fails without settling it.</summary>
    public const int DeliveryAttempts = 5;

    /// <summary>
    /// A message whose delivery made the writer fail <see cref="DeliveryAttempts"/> times (a crash, a lost
    /// connection) is dead-lettered to the error queue instead of being redelivered for ever.
    /// </summary>
    public static IReadOnlyDictionary<string, object> WriterQueueArguments { get; } = new Dictionary<string, object>
    {
        ["x-queue-type"] = "quorum",
        ["x-delivery-limit"] = DeliveryAttempts - 1,
        ["x-dead-letter-exchange"] = Topology.WriterErrorQueue,
    };

    public static async Task DeclareAsync(IChannel channel, CancellationToken ct)
    {
        await channel.ExchangeDeclareAsync(Topology.EventsExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
        // The error queue gets the writer queue's arguments because MassTransit's fault path declares it with them
        // (a declaration with other arguments is refused, and closes the channel with every message in flight).
        var arguments = WriterQueueArguments.ToDictionary(a => a.Key, a => (object?)a.Value);
        await DeclareQueueAsync(channel, Topology.WriterErrorQueue, arguments, ct);
        await DeclareQueueAsync(channel, Topology.WriterQueue, arguments, ct);
        await channel.ExchangeBindAsync(Topology.WriterQueue, Topology.EventsExchange, "", cancellationToken: ct);
    }

    /// <summary>A queue behind a fanout exchange of the same name, as MassTransit lays out its endpoints.</summary>
    private static async Task DeclareQueueAsync(IChannel channel, string name, IDictionary<string, object?> arguments, CancellationToken ct)
    {
        await channel.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
        await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: ct);
        await channel.QueueBindAsync(name, name, "", cancellationToken: ct);
    }
}
