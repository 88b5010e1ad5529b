using System.Text;
using LlmMonitor.Events;
using LlmMonitor.IngestGateway;

namespace LlmMonitor.UnitTests.Ingest;

public class EventIntakeTests
{
    private static readonly EventIntake Intake = new(EventTestKit.Validator());

    private static IntakeResult Single(string body) => Intake.ReadSingle(Encoding.UTF8.GetBytes(body), FixedClock.Now);

    private static IntakeResult Batch(string body) =>
        Intake.ReadBatch(Encoding.UTF8.GetBytes(body), FixedClock.Now, IngestLimits.BatchMaxEvents);

    private static string Events(int count) =>
        "[" + string.Join(",", Enumerable.Range(0, count).Select(i => $$"""{"model":"m{{i}}"}""")) + "]";

    private static void AssertMalformed(IntakeResult result)
    {
        Assert.False(string.IsNullOrEmpty(result.Problem));
        Assert.Empty(result.Accepted);
        Assert.Empty(result.Rejected);
    }

    [Fact]
    public void Single_object_is_accepted_with_an_id()
    {
        var result = Single("""{"model":"gpt-4o","prompt_tokens":10}""");
        Assert.Null(result.Problem);
        Assert.Empty(result.Rejected);
        var accepted = Assert.Single(result.Accepted);
        Assert.NotNull(accepted.EventId);
        Assert.NotEqual(Guid.Empty, accepted.EventId.Value);
    }

    [Fact]
    public void An_event_without_id_and_timestamp_is_published_with_the_chosen_id_and_the_receive_time()
    {
        var result = Single("""{"model":"m","tags":{"a":"b"}}""");

        var id = Assert.Single(result.Accepted).EventId;
        Assert.Equal(
            $$$"""[{"event_id":"{{{id}}}","timestamp":"{{{IsoTimestamp.Format(FixedClock.Now)}}}","model":"m","tags":{"a":"b"}}]""",
            Encoding.UTF8.GetString(result.AcceptedJson.Array.Span));
    }

    [Fact]
    public void An_event_with_its_own_id_and_no_timestamp_is_published_as_sent() =>
        Assert.Equal("""[{"event_id":"0f8fad5b-d9cb-469f-a165-70867728950e","model":"m"}]""",
            Encoding.UTF8.GetString(Single("""{"event_id":"0f8fad5b-d9cb-469f-a165-70867728950e","model":"m"}""").AcceptedJson.Array.Span));

    [Fact]
    public void Single_keeps_the_clients_event_id() =>
        Assert.Equal(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
            Assert.Single(Single("""{"model":"m","event_id":"0f8fad5b-d9cb-469f-a165-70867728950e"}""").Accepted).EventId);

    [Fact]
    public void Single_invalid_event_is_rejected_with_its_fields()
    {
        var result = Single("""{"model":"m","prompt_tokens":-1}""");
        Assert.Null(result.Problem);
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(0, rejected.Index);
        Assert.Equal(["must be >= 0"], rejected.Errors["prompt_tokens"]);
    }

    [Theory]
    [InlineData("""[{"model":"m"}]""")]
    [InlineData("42")]
    [InlineData("\"x\"")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("""{"model":"m",""")]
    [InlineData("""{"model":"m"} x""")]
    [InlineData("""{"model":"m"}{"model":"n"}""")]
    [InlineData("""{"model":'m'}""")]
    public void Single_refuses_a_body_that_is_not_one_event_object(string body) =>
        AssertMalformed(Single(body));

    [Fact]
    public void NaN_literal_is_malformed_json() =>
        AssertMalformed(Single("""{"model":"m","latency_ms":NaN}"""));

    [Fact]
    public void Infinity_literal_is_malformed_json() =>
        AssertMalformed(Batch("""[{"model":"m","cost_usd":Infinity}]"""));

    [Fact]
    public void NaN_string_is_a_field_error() =>
        Assert.True(Assert.Single(Single("""{"model":"m","latency_ms":"NaN"}""").Rejected).Errors.ContainsKey("latency_ms"));

    [Theory]
    [InlineData("""{"model":"m"}""")]
    [InlineData("42")]
    [InlineData("[]")]
    [InlineData("")]
    [InlineData("""[{"model":"m"},""")]
    [InlineData("""[{"model":"m"}""")]
    [InlineData("""[{"model":"m"}] x""")]
    [InlineData("""[{"model":"m"}][]""")]
    [InlineData("""[{"model":"m",}]""")]
    public void Batch_refuses_a_body_that_is_not_an_array_of_events(string body) =>
        AssertMalformed(Batch(body));

    [Fact]
    public void Batch_of_1000_is_accepted() =>
        Assert.Equal(1000, Batch(Events(1000)).Accepted.Count);

    [Fact]
    public void Batch_of_1001_is_refused() =>
        AssertMalformed(Batch(Events(1001)));

    [Fact]
    public void Batch_mixes_accepted_and_rejected_by_index()
    {
        var result = Batch("""
            [{"model":"a"},
             {"model":"b","prompt_tokens":-1},
             {"model":"c","event_id":"0f8fad5b-d9cb-469f-a165-70867728950e"},
             {"prompt_tokens":"x","status":"failed"},
             "not an event",
             {"model":"d","event_id":"not-a-uuid"},
             {"model":"e"}]
            """);

        Assert.Null(result.Problem);
        Assert.Equal(["a", "c", "e"], result.Accepted.Select(e => e.Model));
        Assert.All(result.Accepted, e => Assert.NotEqual(Guid.Empty, e.EventId.GetValueOrDefault()));
        Assert.Equal(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), result.Accepted[1].EventId);
        Assert.Equal(3, result.Accepted.Select(e => e.EventId).Distinct().Count());

        Assert.Equal([1, 3, 4, 5], result.Rejected.Select(r => r.Index));
        Assert.Equal(["must be >= 0"], result.Rejected[0].Errors["prompt_tokens"]);
        Assert.Equal(["model", "prompt_tokens", "status"], result.Rejected[1].Errors.Keys.Order(StringComparer.Ordinal));
        Assert.True(result.Rejected[2].Errors.ContainsKey("$"));
        Assert.True(result.Rejected[3].Errors.ContainsKey("event_id"));
    }

    [Fact]
    public void Array_valued_event_id_is_a_field_error_that_keeps_the_batch()
    {
        var result = Batch("""[{"model":"a"},{"model":"b","event_id":[1]},{"model":"c"}]""");
        Assert.Null(result.Problem);
        Assert.Equal(["a", "c"], result.Accepted.Select(e => e.Model));
        Assert.Equal(1, Assert.Single(result.Rejected).Index);
        Assert.True(result.Rejected[0].Errors.ContainsKey("event_id"));
    }

    [Fact]
    public void Lone_surrogate_escape_is_a_field_error_not_a_crash()
    {
        var result = Single("""{"model":"m","input":"\udc00"}""");
        Assert.True(Assert.Single(result.Rejected).Errors.ContainsKey("input"));
    }

    [Fact]
    public void Lone_surrogate_in_a_batch_keeps_its_neighbours()
    {
        var result = Batch("""[{"model":"a"},{"model":"b","tags":{"k":"\ud800"}},{"model":"c"}]""");
        Assert.Equal(["a", "c"], result.Accepted.Select(e => e.Model));
        Assert.True(Assert.Single(result.Rejected).Errors.ContainsKey("tags.k"));
    }

    [Fact]
    public void Invalid_utf8_is_refused_not_a_crash()
    {
        byte[] body = [.. "{\"model\":\""u8, 0xFF, 0xFE, .. "\"}"u8];
        var result = Intake.ReadSingle(body, FixedClock.Now);
        Assert.Empty(result.Accepted);
        Assert.True(result.Problem is not null || result.Rejected.Count == 1);
    }
}
