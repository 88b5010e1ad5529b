using LlmMonitor.Contracts;
using LlmMonitor.Events;
using MassTransit;

namespace LlmMonitor.WriterWorker;

/// <summary>When a message set out, for the ingest lag; null when the message does not say.</summary>
public static class PublishTime
{
    /// <summary>
    /// The gateway's receive time (header LlmMonitor-Received-At, to the millisecond; its publish follows within
    /// milliseconds), else the AMQP timestamp property a raw publisher may set (whole seconds). Not MassTransit's
    /// SentTime: for a raw message it may be read out of an arbitrary message_id. A raw message with neither has no
    /// lag: it is stored and counted, but not in the lag histogram.
    /// </summary>
    public static DateTimeOffset? Of(ConsumeContext message) =>
        GatewayReceivedAt(message)
        ?? (message.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var amqp) && amqp.Properties.IsTimestampPresent()
            ? DateTimeOffset.FromUnixTimeSeconds(amqp.Properties.Timestamp.UnixTime)
            : null);

    /// <summary>The header LlmMonitor-Received-At: set by the gateway, and by any raw publisher that wishes.</summary>
    public static DateTimeOffset? GatewayReceivedAt(ConsumeContext message) =>
        message.Headers.Get<string>(Topology.ReceivedAtHeader) is { } header && IsoTimestamp.TryParse(header, out var receivedAt) ? receivedAt : null;
}
