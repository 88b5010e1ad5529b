using System.Text.Json;
using System.Text.Json.Serialization;
using LlmMonitor.Contracts;

namespace LlmMonitor.IngestGateway;

/// <summary>
/// What the gateway publishes to <c>llm-events</c>: the same plain JSON array of events as
/// <see cref="LlmCallsRecorded"/>, already rendered, so that publishing writes it out as it is. Mapped to the
/// same exchange at registration.
/// </summary>
[JsonConverter(typeof(PublishedEventsJsonConverter))]
public sealed record PublishedEvents(ReadOnlyMemory<byte> JsonArray, int Count)
{
    public static PublishedEvents Join(IReadOnlyList<EventsJson> parts)
    {
        if (parts.Count == 1)
        {
            return new PublishedEvents(parts[0].Array, parts[0].Count);
        }

        var length = 2 + parts.Sum(p => p.Objects.Length + 1);
        var array = new byte[length];
        var at = 0;
        array[at++] = (byte)'[';
        foreach (var part in parts.Where(p => p.Count > 0))
        {
            if (at > 1)
            {
                array[at++] = (byte)',';
            }

            part.Objects.Span.CopyTo(array.AsSpan(at));
            at += part.Objects.Length;
        }

        array[at++] = (byte)']';
        return new PublishedEvents(array.AsMemory(0, at), parts.Sum(p => p.Count));
    }
}

public sealed class PublishedEventsJsonConverter : JsonConverter<PublishedEvents>
{
    public override PublishedEvents Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("The gateway only publishes events; the writer reads them as LlmCallsRecorded.");

    // The array was checked when it was read (or written by Utf8JsonWriter): no need to validate it again.
    public override void Write(Utf8JsonWriter writer, PublishedEvents value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.JsonArray.Span, skipInputValidation: true);
}
