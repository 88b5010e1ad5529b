using System.Text.Json.Serialization;
using LlmMonitor.Events;

namespace LlmMonitor.Contracts;

/// <summary>
/// LLM calls recorded by an application: the message on the <c>llm-events</c> fanout exchange (the bus maps it
/// there at registration).
/// On the wire it has no envelope: it is one event object or a JSON array of events, so that any
/// AMQP client can publish it; the gateway publishes a whole request's accepted events as one array.
/// </summary>
[JsonConverter(typeof(LlmCallsRecordedJsonConverter))]
public sealed record LlmCallsRecorded(IReadOnlyList<EventInput> Events);
