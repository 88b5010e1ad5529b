using System.Text;
using System.Text.Json;
using LlmMonitor.Contracts;
using LlmMonitor.Events;
using LlmMonitor.IngestGateway;

namespace LlmMonitor.UnitTests.Ingest;

/// <summary>The gateway publishes accepted events as their clients sent them, with the ids it chose put in.</summary>
public class PublishedEventsTests
{
    private static readonly EventIntake Intake = new(EventTestKit.Validator());

    private static string Published(params IntakeResult[] requests) =>
        Encoding.UTF8.GetString(PublishedEvents.Join([.. requests.Select(r => r.AcceptedJson)]).JsonArray.Span);

    private static IReadOnlyList<EventInput> ReadBack(string published) =>
        JsonSerializer.Deserialize<LlmCallsRecorded>(published)!.Events;

    [Fact]
    public void Accepted_events_travel_as_sent_with_the_chosen_ids_and_without_the_rejected_ones()
    {
        const string body = """
            [ {"model":"gpt-4o","prompt_tokens":10,"tags":{"user_id":"u1"}},
              {"model":""},
              {"event_id":"0f8fad5b-d9cb-469f-a165-70867728950e","model":"claude-sonnet-4","timestamp":"2025-06-01T10:00:00+02:00"},
              {  "model":"gpt-4o-mini" } ]
            """;
        var result = Intake.ReadBatch(Encoding.UTF8.GetBytes(body), FixedClock.Now, IngestLimits.BatchMaxEvents);

        var published = Published(result);

        Assert.Equal(3, result.AcceptedJson.Count);
        var events = ReadBack(published);
        Assert.Equal(result.Accepted.Select(e => e.EventId), events.Select(e => e.EventId));
        Assert.Equal(["gpt-4o", "claude-sonnet-4", "gpt-4o-mini"], events.Select(e => e.Model));
        Assert.Equal("u1", events[0].Tags!["user_id"]);
        Assert.Contains("\"timestamp\":\"2025-06-01T10:00:00+02:00\"", published);
        Assert.All(events, e => Assert.Empty(e.ShapeErrors));
    }

    [Fact]
    public void Several_requests_join_into_one_array()
    {
        var one = Intake.ReadSingle("""{"model":"a"}"""u8, FixedClock.Now);
        var none = Intake.ReadBatch("""[{"model":""}]"""u8, FixedClock.Now, 10);
        var two = Intake.ReadBatch("""[{"model":"b"},{"model":"c"}]"""u8, FixedClock.Now, 10);

        var published = Published(one, none, two);

        Assert.Equal(["a", "b", "c"], ReadBack(published).Select(e => e.Model));
        Assert.Equal(3, PublishedEvents.Join([one.AcceptedJson, none.AcceptedJson, two.AcceptedJson]).Count);
    }

    [Fact]
    public void One_request_goes_out_as_its_own_array_without_a_copy()
    {
        var batch = Intake.ReadBatch("""[{"model":"a"},{"model":""},{"model":"b"}]"""u8, FixedClock.Now, 10);

        var message = PublishedEvents.Join([batch.AcceptedJson]);

        Assert.True(message.JsonArray.Equals(batch.AcceptedJson.Array));
        Assert.Equal(2, message.Count);
        Assert.Equal(["a", "b"], ReadBack(Published(batch)).Select(e => e.Model));
    }

    [Fact]
    public void Fields_the_contract_does_not_have_are_left_behind()
    {
        var result = Intake.ReadSingle("""{"model":"gpt-4o","secret":{"x":[1,2]},"prompt_tokens":3}"""u8, FixedClock.Now);

        var published = Published(result);

        Assert.DoesNotContain("secret", published);
        var e = Assert.Single(ReadBack(published));
        Assert.Equal(("gpt-4o", 3L, result.Accepted[0].EventId), (e.Model, e.PromptTokens!.Value, e.EventId));
    }

    [Fact]
    public void A_null_event_id_is_replaced_by_the_chosen_one_not_kept_beside_it()
    {
        var result = Intake.ReadSingle("""{"event_id":null,"model":"gpt-4o"}"""u8, FixedClock.Now);

        var published = Published(result);

        Assert.DoesNotContain("null", published);
        Assert.Equal(result.Accepted[0].EventId, Assert.Single(ReadBack(published)).EventId);
    }

    [Fact]
    public void A_null_event_id_under_an_escaped_name_is_replaced_too()
    {
        var result = Intake.ReadSingle("""{"model":"gpt-4o","event\u005fid":null}"""u8, FixedClock.Now);

        using var published = JsonDocument.Parse(Published(result));

        var id = Assert.Single(published.RootElement[0].EnumerateObject(), p => p.Name == "event_id");
        Assert.Equal(result.Accepted[0].EventId, id.Value.GetGuid());
    }

    [Fact]
    public void Events_rendered_by_the_gateway_read_back_the_same()
    {
        var input = new EventInput { EventId = Guid.NewGuid(), Model = "gpt-4o", LatencyMs = 12.5, Tags = new() { ["k"] = "v" } };

        var e = Assert.Single(ReadBack(Published(new IntakeResult([input], [], null) { AcceptedJson = Assert.Single(EventsJson.RenderMessages([input])) })));

        Assert.Equal((input.EventId, "gpt-4o", 12.5, "v"), (e.EventId, e.Model, e.LatencyMs, e.Tags!["k"]));
    }

    [Theory]
    [InlineData(2_500, 100)] // more events than a message holds
    [InlineData(200, 60_000)] // more bytes than a message holds
    public void Events_rendered_by_the_gateway_go_out_in_messages_the_writer_takes(int count, int inputChars)
    {
        var events = Enumerable.Range(0, count).Select(_ => new EventInput { EventId = Guid.NewGuid(), Model = "m", Input = new string('x', inputChars) }).ToList();

        var messages = EventsJson.RenderMessages(events);

        Assert.True(messages.Count > 1);
        Assert.All(messages, m => Assert.InRange(m.Array.Length, 1, Topology.MessageMaxBytes));
        Assert.All(messages, m => Assert.InRange(m.Count, 1, Topology.MessageMaxEvents));
        var read = messages.SelectMany(m => JsonSerializer.Deserialize<LlmCallsRecorded>(m.Array.Span)!.Events).ToList();
        Assert.Equal(events.Select(e => e.EventId), read.Select(e => e.EventId));
        Assert.Equal(messages.Sum(m => m.Count), read.Count);
    }
}
