using System.Net.Mime;
using System.Runtime.Serialization;
using System.Text.Json;
using LlmMonitor.Contracts;
using MassTransit;
using MassTransit.Serialization;

namespace LlmMonitor.WriterWorker;

/// <summary>
/// Reads raw JSON messages straight into <see cref="LlmCallsRecorded"/> in one pass. MassTransit's raw JSON
/// deserializer would first build a JsonDocument and then serialize it again for the converter: half the
/// writer's CPU went there. Faults and forwards still carry the original body.
/// </summary>
public sealed class EventsSerializerFactory : ISerializerFactory
{
    private readonly SystemTextJsonRawMessageSerializer _serializer = new(RawSerializerOptions.AnyMessageType);

    public ContentType ContentType => SystemTextJsonRawMessageSerializer.JsonContentType;

    public IMessageSerializer CreateSerializer() => _serializer;

    public IMessageDeserializer CreateDeserializer() => new EventsDeserializer();

    private sealed class EventsDeserializer : IMessageDeserializer
    {
        public ContentType ContentType => SystemTextJsonRawMessageSerializer.JsonContentType;

        public void Probe(ProbeContext context) => context.CreateScope("llm-events-json");

        public ConsumeContext Deserialize(ReceiveContext receiveContext) =>
            new BodyConsumeContext(receiveContext, Deserialize(receiveContext.Body, receiveContext.TransportHeaders, receiveContext.InputAddress));

        // A refused message goes to the error queue with the exception's message as its reason.
        public SerializerContext Deserialize(MessageBody body, Headers headers, Uri? destinationAddress = null)
        {
            if (body.Length > Topology.MessageMaxBytes)
            {
                throw new SerializationException($"The message body is {body.Length} bytes; a message holds at most {Topology.MessageMaxBytes} bytes.");
            }

            LlmCallsRecorded message;
            try
            {
                message = JsonSerializer.Deserialize<LlmCallsRecorded>(body.GetBytes())
                          ?? throw new SerializationException("The message body is JSON null.");
            }
            catch (JsonException e)
            {
                throw new SerializationException($"The message body is not valid JSON: {e.Message}", e);
            }

            if (message.Events.Count > Topology.MessageMaxEvents)
            {
                throw new SerializationException($"The message holds {message.Events.Count} events; a message holds at most {Topology.MessageMaxEvents}.");
            }

            var messageContext = new RawMessageContext(headers, destinationAddress, RawSerializerOptions.AnyMessageType);
            return new EventsSerializerContext(message, body, messageContext, headers.GetMessageTypes());
        }

        public MessageBody GetMessageBody(string text) => new StringMessageBody(text);
    }

    private sealed class EventsSerializerContext(LlmCallsRecorded message, MessageBody body, MessageContext messageContext, string[] messageTypes)
        : SystemTextJsonRawSerializerContext(SystemTextJsonMessageSerializer.Instance, SystemTextJsonMessageSerializer.Options,
            SystemTextJsonRawMessageSerializer.JsonContentType, messageContext, messageTypes, RawSerializerOptions.AnyMessageType, default)
    {
        public override bool TryGetMessage<T>(out T? result) where T : class
        {
            result = message as T;
            return result is not null;
        }

        public override IMessageSerializer GetMessageSerializer() => new OriginalBody(body);

        public override IMessageSerializer GetMessageSerializer(object message, string[] messageTypes) => new OriginalBody(body);

        public override IMessageSerializer GetMessageSerializer<T>(MessageEnvelope envelope, T message) => new OriginalBody(body);
    }

    /// <summary>Sends the body exactly as it was received (for the error queue).</summary>
    private sealed class OriginalBody(MessageBody body) : IMessageSerializer
    {
        public ContentType ContentType => SystemTextJsonRawMessageSerializer.JsonContentType;

        public MessageBody GetMessageBody<T>(SendContext<T> context) where T : class => body;
    }
}
