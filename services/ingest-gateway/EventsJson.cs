using System.Buffers;
using System.Text.Json;
using LlmMonitor.Events;

namespace LlmMonitor.IngestGateway;

/// <summary>Accepted events ready to publish: JSON objects separated by commas, the inside of the message's array.</summary>
public sealed record EventsJson(ReadOnlyMemory<byte> Objects, int Count)
{
    private static readonly byte[] EventIdField = "\"event_id\":\""u8.ToArray();

    /// <summary>Renders events built by the gateway itself (OpenTelemetry spans).</summary>
    public static EventsJson Render(IReadOnlyList<EventInput> events)
    {
        var buffer = new ArrayBufferWriter<byte>(events.Count * 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var e in events)
            {
                EventJsonWriter.Write(writer, e);
            }

            writer.WriteEndArray();
        }

        return new EventsJson(buffer.WrittenMemory[1..^1], events.Count);
    }

    /// <summary>Collects accepted events, each as the bytes its client sent.</summary>
    public sealed class Builder(int capacity)
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(capacity);
        private int _count;

        /// <summary>
        /// Adds one event object as it was sent, with its <c>event_id</c> put first when the gateway chose it.
        /// Forwarding the client's own bytes spares serializing every event again.
        /// </summary>
        public void Add(ReadOnlySpan<byte> sentObject, Guid? chosenId)
        {
            if (_count++ > 0)
            {
                _buffer.Write(","u8);
            }

            if (chosenId is not { } id)
            {
                _buffer.Write(sentObject);
                return;
            }

            var rest = sentObject[1..]; // after the '{'
            _buffer.Write("{"u8);
            _buffer.Write(EventIdField);
            var span = _buffer.GetSpan(36);
            id.TryFormat(span, out var written, "D");
            _buffer.Advance(written);
            _buffer.Write("\""u8);
            if (rest.TrimStart(" \t\r\n"u8)[0] != (byte)'}')
            {
                _buffer.Write(","u8);
            }

            _buffer.Write(rest);
        }

        /// <summary>Adds an event rendered from what was read (used when the sent bytes must not travel on).</summary>
        public void Add(EventInput input)
        {
            var rendered = Render([input]);
            if (_count++ > 0)
            {
                _buffer.Write(","u8);
            }

            _buffer.Write(rendered.Objects.Span);
        }

        public EventsJson Build() => new(_buffer.WrittenMemory, _count);
    }
}
