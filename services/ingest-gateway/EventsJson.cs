using System.Buffers;
using System.Text.Json;
using LlmMonitor.Events;

namespace LlmMonitor.IngestGateway;

/// <summary>Accepted events ready to publish: a JSON array of event objects, the body of one message.</summary>
public sealed record EventsJson(ReadOnlyMemory<byte> Array, int Count)
{
    public static readonly EventsJson None = new("[]"u8.ToArray(), 0);

    /// <summary>The objects without the array's brackets, for joining several requests into one message.</summary>
    public ReadOnlyMemory<byte> Objects => Array[1..^1];

    private static readonly byte[] EventIdField = "\"event_id\":\""u8.ToArray();
    private static readonly byte[] TimestampField = "\"timestamp\":\""u8.ToArray();

    /// <summary>
    /// Renders events built by the gateway itself (OpenTelemetry spans) as the bodies of messages the writer takes:
    /// at most <see cref="IngestLimits.MessageMaxEvents"/> events and <see cref="IngestLimits.MessageMaxBytes"/> each.
    /// </summary>
    public static IReadOnlyList<EventsJson> RenderMessages(IReadOnlyList<EventInput> events)
    {
        var messages = new List<EventsJson>();
        var builder = new Builder(0);
        var one = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(one);
        foreach (var e in events)
        {
            one.ResetWrittenCount();
            writer.Reset(one);
            EventJsonWriter.Write(writer, e);
            writer.Flush();
            if (builder.Count == IngestLimits.MessageMaxEvents || builder.Length + one.WrittenCount + 1 > IngestLimits.MessageMaxBytes)
            {
                messages.Add(builder.Build());
                builder = new Builder(0);
            }

            builder.Add(one.WrittenSpan, chosenId: null, chosenTimestamp: null);
        }

        if (builder.Count > 0)
        {
            messages.Add(builder.Build());
        }

        return messages;
    }

    /// <summary>Collects accepted events, each as the bytes its client sent or, where that cannot be, written out again.</summary>
    public sealed class Builder
    {
        private readonly ArrayBufferWriter<byte> _buffer;
        private Utf8JsonWriter? _writer;
        private int _count;

        public Builder(int capacity)
        {
            _buffer = new ArrayBufferWriter<byte>(capacity + 2);
            _buffer.Write("["u8);
        }

        /// <summary>
        /// Adds one event object as it was sent, with its <c>event_id</c> (and <c>timestamp</c>) put first when the
        /// gateway chose them. Forwarding the client's own bytes spares serializing every event again.
        /// </summary>
        public void Add(ReadOnlySpan<byte> sentObject, Guid? chosenId, DateTimeOffset? chosenTimestamp)
        {
            Separate();
            if (chosenId is not { } id)
            {
                _buffer.Write(sentObject);
                return;
            }

            var rest = sentObject[1..]; // after the '{'
            _buffer.Write("{"u8);
            _buffer.Write(EventIdField);
            id.TryFormat(_buffer.GetSpan(36), out var written, "D");
            _buffer.Advance(written);
            _buffer.Write("\""u8);
            if (chosenTimestamp is { } at)
            {
                _buffer.Write(","u8);
                _buffer.Write(TimestampField);
                _buffer.Advance(IsoTimestamp.FormatUtf8(at, _buffer.GetSpan(32)));
                _buffer.Write("\""u8);
            }

            if (rest.TrimStart(" \t\r\n"u8)[0] != (byte)'}')
            {
                _buffer.Write(","u8);
            }

            _buffer.Write(rest);
        }

        /// <summary>Adds an event written out from what was read: only the contract's fields.</summary>
        public void Add(EventInput input)
        {
            Separate();
            if (_writer is null)
            {
                _writer = new Utf8JsonWriter(_buffer);
            }
            else
            {
                _writer.Reset(_buffer);
            }

            EventJsonWriter.Write(_writer, input);
            _writer.Flush();
        }

        public int Count => _count;

        /// <summary>Bytes written so far, the closing bracket included.</summary>
        public int Length => _buffer.WrittenCount + 1;

        public EventsJson Build()
        {
            _writer?.Dispose();
            _buffer.Write("]"u8);
            return new EventsJson(_buffer.WrittenMemory, _count);
        }

        private void Separate()
        {
            if (_count++ > 0)
            {
                _buffer.Write(","u8);
            }
        }
    }
}
