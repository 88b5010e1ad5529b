using System.Text.Json;
using System.Text.Json.Serialization;
using LlmMonitor.Events;

namespace LlmMonitor.Contracts;

/// <summary>Reads one event or an array of events; writes an array. Bad events are kept with their errors.</summary>
public sealed class LlmCallsRecordedJsonConverter : JsonConverter<LlmCallsRecorded>
{
    public override LlmCallsRecorded Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return new LlmCallsRecorded([EventJsonReader.Read(ref reader)]);
        }

        var events = new List<EventInput>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            events.Add(EventJsonReader.Read(ref reader));
        }

        return new LlmCallsRecorded(events);
    }

    public override void Write(Utf8JsonWriter writer, LlmCallsRecorded value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var e in value.Events)
        {
            EventJsonWriter.Write(writer, e);
        }

        writer.WriteEndArray();
    }
}
