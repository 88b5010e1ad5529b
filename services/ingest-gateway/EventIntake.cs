using System.Text.Json;
using LlmMonitor.Events;

namespace LlmMonitor.IngestGateway;

/// <summary>Turns a request body into accepted events (ids filled in) and rejected ones with their reasons.</summary>
public sealed class EventIntake(EventValidator validator)
{
    public IntakeResult ReadSingle(ReadOnlySpan<byte> body, DateTimeOffset receivedAt)
    {
        var reader = new Utf8JsonReader(body);
        if (!TryStart(ref reader, out var problem))
        {
            return IntakeResult.Malformed(problem);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return IntakeResult.Malformed("The body must be one event object; send arrays to /api/events/batch.");
        }

        var start = (int)reader.TokenStartIndex;
        EventInput input;
        try
        {
            input = EventJsonReader.Read(ref reader);
        }
        catch (JsonException e)
        {
            return IntakeResult.Malformed($"The body is not valid JSON: {e.Message}");
        }

        var sent = new Range(start, (int)reader.BytesConsumed);
        return Finish(ref reader) is { } trailing ? IntakeResult.Malformed(trailing) : Decide(body, [input], [sent], receivedAt);
    }

    public IntakeResult ReadBatch(ReadOnlySpan<byte> body, DateTimeOffset receivedAt, int maxEvents)
    {
        var reader = new Utf8JsonReader(body);
        if (!TryStart(ref reader, out var problem))
        {
            return IntakeResult.Malformed(problem);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return IntakeResult.Malformed("The body must be a JSON array of events.");
        }

        var inputs = new List<EventInput>();
        var sent = new List<Range>();
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (inputs.Count == maxEvents)
                {
                    return IntakeResult.Malformed($"A batch holds at most {maxEvents} events.");
                }

                var start = (int)reader.TokenStartIndex;
                inputs.Add(EventJsonReader.Read(ref reader));
                sent.Add(new Range(start, (int)reader.BytesConsumed));
            }
        }
        catch (JsonException e)
        {
            return IntakeResult.Malformed($"The body is not valid JSON: {e.Message}");
        }

        if (inputs.Count == 0)
        {
            return IntakeResult.Malformed("The batch is empty.");
        }

        return Finish(ref reader) is { } trailing ? IntakeResult.Malformed(trailing) : Decide(body, inputs, sent, receivedAt);
    }

    // sent: where each event's object lies in the body, so that accepted events travel on as they were sent.
    private IntakeResult Decide(ReadOnlySpan<byte> body, List<EventInput> inputs, List<Range> sent, DateTimeOffset receivedAt)
    {
        var accepted = new List<EventInput>(inputs.Count);
        var json = new EventsJson.Builder(body.Length + inputs.Count * 64);
        var rejected = new List<RejectedEvent>();
        var window = validator.Window();
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var result = validator.Validate(input, receivedAt, window);
            if (result.Event is { } ev)
            {
                // The id is fixed here so that the client learns it and every later stage agrees on it. An event
                // without an id is a new call each time it is sent, so it also gets its timestamp here: a
                // redelivered message then meets its stored copy on the primary key, without an id lookup.
                var chosenId = input.EventId is null ? ev.EventId : (Guid?)null;
                var chosenTimestamp = chosenId is not null && input.Timestamp is null ? ev.Timestamp : (DateTimeOffset?)null;
                input.EventId = ev.EventId;
                input.Timestamp ??= chosenTimestamp;
                if (input.HasUnknownFields || input.EventIdSentAsNull)
                {
                    // Written out again: only the contract's fields travel on, so nothing unchecked reaches the
                    // queue's other readers, and an "event_id": null is replaced instead of kept beside the chosen id.
                    json.Add(input);
                }
                else
                {
                    json.Add(body[sent[i]], chosenId, chosenTimestamp);
                }

                accepted.Add(input);
            }
            else
            {
                rejected.Add(new RejectedEvent(i, result.Errors));
            }
        }

        return new IntakeResult(accepted, rejected, null) { AcceptedJson = json.Build() };
    }

    private static bool TryStart(ref Utf8JsonReader reader, out string problem)
    {
        problem = "";
        try
        {
            if (reader.Read())
            {
                return true;
            }

            problem = "The body is empty.";
        }
        catch (JsonException e)
        {
            problem = $"The body is not valid JSON: {e.Message}";
        }

        return false;
    }

    private static string? Finish(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.Read() ? "The body has content after the JSON value." : null;
        }
        catch (JsonException e)
        {
            return $"The body is not valid JSON: {e.Message}";
        }
    }
}

public sealed record IntakeResult(IReadOnlyList<EventInput> Accepted, IReadOnlyList<RejectedEvent> Rejected, string? Problem)
{
    /// <summary>The accepted events as they will be published.</summary>
    public EventsJson AcceptedJson { get; init; } = EventsJson.None;

    public static IntakeResult Malformed(string problem) => new([], [], problem);
}
