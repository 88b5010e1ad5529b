using System.Security.Cryptography;
using System.Text;
using LlmMonitor.Contracts;
using LlmMonitor.Events;
using LlmMonitor.Storage;
using MassTransit;

namespace LlmMonitor.WriterWorker;

/// <summary>Validates (AMQP bypasses the gateway) and prices the events of received messages.</summary>
public sealed class BatchPreparer(EventValidator validator, PriceBookCache prices, TimeProvider clock)
{
    public PreparedBatch Prepare(IEnumerable<ConsumeContext<LlmCallsRecorded>> messages)
    {
        var rows = new List<EventRow>(messages.Sum(m => m.Message.Events.Count));
        var rejections = new List<MessageRejection>();
        var book = prices.Current;
        var window = validator.Window();
        foreach (var message in messages)
        {
            var receivedAt = ReceivedAt(message);
            var messageWindow = WindowAt(receivedAt, window);
            var rejected = new List<RejectedEvent>();
            byte[]? identity = null;
            var events = message.Message.Events;
            for (var i = 0; i < events.Count; i++)
            {
                var input = events[i];
                var result = validator.Validate(input, receivedAt, messageWindow);
                if (result.Event is not { } ev)
                {
                    rejected.Add(new RejectedEvent(i, result.Errors));
                    continue;
                }

                // An id the validator made up is new each time: no earlier copy can carry it.
                var idIsStable = input.EventId is not null;
                if (input.EventId is null && (identity ??= MessageIdentity(message)) is { } stable)
                {
                    ev = ev with { EventId = DerivedEventId(stable, i) };
                    idIsStable = true;
                }

                if (ev.CostUsd is null)
                {
                    ev = ev with { CostUsd = book.Cost(ev) };
                }

                rows.Add(new EventRow(ev, MatchById: input.Timestamp is null && idIsStable));
            }

            if (rejected.Count > 0)
            {
                rejections.Add(new MessageRejection(message, rejected));
            }
        }

        return new PreparedBatch(rows, rejections);
    }

    /// <summary>
    /// An event the gateway accepted near the old edge of the window may reach the writer after that edge has moved
    /// on (a writer that was stopped, a database outage): it was answered 202, so the old edge is the one at the
    /// gateway's receive time. The new edge stays the writer's.
    /// </summary>
    private AcceptedWindow WindowAt(DateTimeOffset receivedAt, AcceptedWindow now)
    {
        var then = AcceptedWindow.At(receivedAt, validator.RetentionDays);
        return then.Oldest < now.Oldest ? now with { Oldest = then.Oldest } : now;
    }

    /// <summary>
    /// The gateway's receive time, else now. Not MassTransit's SentTime: for a raw message it may be read out of
    /// the message_id (a time-based id in MassTransit's own messages), which for any other id is an arbitrary time.
    /// </summary>
    private DateTimeOffset ReceivedAt(ConsumeContext message) => PublishTime.GatewayReceivedAt(message) ?? clock.GetUtcNow();

    /// <summary>
    /// The AMQP message_id, which a redelivery or a publisher's retry keeps. Without one every message is new:
    /// two publishes of the same body are two calls, so events without event_id get fresh ids then.
    /// </summary>
    private static byte[]? MessageIdentity(ConsumeContext message) =>
        message.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var amqp) && !string.IsNullOrEmpty(amqp.Properties.MessageId)
            ? Encoding.UTF8.GetBytes(amqp.Properties.MessageId)
            : null;

    /// <summary>An event without an id in a message with a message_id gets one derived from both, so a redelivery is stored once.</summary>
    private static Guid DerivedEventId(byte[] identity, int index)
    {
        Span<byte> buffer = stackalloc byte[identity.Length + sizeof(int)];
        identity.CopyTo(buffer);
        BitConverter.TryWriteBytes(buffer[identity.Length..], index);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // UUID version 8: custom
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(hash[..16], bigEndian: true);
    }
}

public sealed record MessageRejection(ConsumeContext<LlmCallsRecorded> Message, IReadOnlyList<RejectedEvent> Events)
{
    public string Reason => string.Join(" | ", Events.Select(e => $"event {e.Index}: {e.Errors}"));
}

public sealed record PreparedBatch(IReadOnlyList<EventRow> Rows, IReadOnlyList<MessageRejection> Rejections);
