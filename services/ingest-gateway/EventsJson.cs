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
        var builder = new Builder(events.Count * 256);
        foreach (var e in events)
        {
            builder.Add(e);
        }

        return builder.Build();
    }

    /// <summary>Collects accepted events, each as the bytes its client sent or, where that cannot be, written out again.</summary>
    public sealed class Builder(int capacity)
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(capacity);
        private Utf8JsonWriter? _writer;
        private int _count;

        /// <summary>
        /// Adds one event object as it was sent, with its <c>event_id</c> put first when the gateway chose it.
        /// Forwarding the client's own bytes spares serializing every event again.
        /// </summary>
        public void Add(ReadOnlySpan<byte> sentObject, Guid? chosenId)
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

        public EventsJson Build()
        {
            _writer?.Dispose();
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
