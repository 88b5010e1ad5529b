using System.Text;
using System.Text.Json;
using LlmMonitor.Events;
using static LlmMonitor.UnitTests.EventTestKit;

namespace LlmMonitor.UnitTests.Events;

/// <summary>Reading one event from JSON: type errors per field, event_id, unknown fields, non-objects.</summary>
public class EventJsonReaderTests
{
    /// <summary>Reads one value and asserts the reader ends exactly at its end.</summary>
    private static EventInput ReadWhole(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes);
        reader.Read();
        var input = EventJsonReader.Read(ref reader);
        Assert.Equal(0, reader.CurrentDepth);
        Assert.Equal(bytes.Length, reader.BytesConsumed);
        return input;
    }

    [Fact]
    public void Reads_every_field()
    {
        var input = ReadWhole("""
            {"event_id":"0f8fad5b-d9cb-469f-a165-70867728950e","timestamp":"2025-06-15T10:00:00Z",
             "model":"gpt-4o","provider":"openai","prompt_tokens":10,"completion_tokens":20,"total_tokens":30,
             "cached_tokens":5,"cache_write_tokens":3,"reasoning_tokens":7,"latency_ms":12.5,"cost_usd":0.001,
             "trace_id":"t-1","span_id":"s-2","parent_span_id":"s-1","session_id":"chat-9","user_id":"u-3",
             "status":"error","error_message":"boom","tags":{"a":"b"},"input":"in","output":"out"}
            """);
        Assert.Equal(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), input.EventId);
        Assert.Equal(new DateTimeOffset(2025, 6, 15, 10, 0, 0, TimeSpan.Zero), input.Timestamp);
        Assert.Equal(("gpt-4o", "openai"), (input.Model, input.Provider));
        Assert.Equal((10L, 20L, 30L, 5L), (input.PromptTokens, input.CompletionTokens, input.TotalTokens, input.CachedTokens));
        Assert.Equal((3L, 7L), (input.CacheWriteTokens, input.ReasoningTokens));
        Assert.Equal(("t-1", "s-2", "s-1"), (input.TraceId, input.SpanId, input.ParentSpanId));
        Assert.Equal(("chat-9", "u-3"), (input.SessionId, input.UserId));
        Assert.Equal(12.5, input.LatencyMs);
        Assert.Equal(0.001m, input.CostUsd);
        Assert.Equal(("error", "boom", "in", "out"), (input.Status, input.ErrorMessage, input.Input, input.Output));
        Assert.Equal("b", input.Tags!["a"]);
        Assert.Empty(input.ShapeErrors);
    }

    [Theory]
    [InlineData("\"not-a-uuid\"")]
    [InlineData("\"\"")]
    [InlineData("123")]
    public void Event_id_not_a_uuid_is_refused(string json) =>
        Invalid($$"""{"model":"m","event_id":{{json}}}""", "event_id");

    [Theory]
    [InlineData("{\"model\":\"other\"}")]
    [InlineData("[1,2]")]
    public void Event_id_of_object_or_array_is_refused_and_skipped(string json)
    {
        var input = ReadWhole($$"""{"event_id":{{json}},"model":"m","prompt_tokens":3}""");
        Assert.True(input.ShapeErrors.ContainsKey("event_id"), input.ShapeErrors.ToString());
        Assert.Equal("m", input.Model);
        Assert.Equal(3, input.PromptTokens);
    }

    [Fact]
    public void Event_id_absent_is_generated() =>
        Assert.NotEqual(Guid.Empty, Valid("""{"model":"m"}""").EventId);

    [Fact]
    public void Event_id_absent_is_generated_afresh_each_time() =>
        Assert.NotEqual(Valid("""{"model":"m"}""").EventId, Valid("""{"model":"m"}""").EventId);

    [Fact]
    public void Event_id_present_is_kept() =>
        Assert.Equal(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
            Valid("""{"model":"m","event_id":"0f8fad5b-d9cb-469f-a165-70867728950e"}""").EventId);

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        var input = ReadWhole("""{"foo":{"model":"nested","x":[1,{"y":2}]},"model":"m","bar":1,"baz":null}""");
        Assert.Equal("m", input.Model);
        Assert.Empty(input.ShapeErrors);
        Valid("""{"model":"m","request_id":"abc","extra":{"deep":[1,2,3]}}""");
    }

    [Fact]
    public void Field_names_with_escapes_are_the_same_fields()
    {
        var input = ReadWhole("""{"\u006dodel":"m","prompt\u005ftokens":3,"mode":"x","models":"y"}""");
        Assert.Equal(("m", 3L), (input.Model, input.PromptTokens!.Value));
        Assert.True(input.HasUnknownFields);
    }

    [Fact]
    public void Only_fields_outside_the_contract_count_as_unknown()
    {
        Assert.False(ReadWhole("""{"model":"m","tags":{"k":"v"},"cost_usd":1}""").HasUnknownFields);
        Assert.False(ReadWhole("""{"model":"m","session_id":"s","parent_span_id":"p","cache_write_tokens":1}""").HasUnknownFields);
        Assert.True(ReadWhole("""{"model":"m","Model":"n"}""").HasUnknownFields);
    }

    [Fact]
    public void Null_fields_count_as_absent()
    {
        var input = ReadWhole("""{"model":"m","provider":null,"tags":null,"prompt_tokens":null}""");
        Assert.Null(input.Provider);
        Assert.Null(input.Tags);
        Assert.Null(input.PromptTokens);
        Assert.Empty(input.ShapeErrors);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"x\"")]
    [InlineData("[]")]
    [InlineData("[{\"model\":\"m\"}]")]
    [InlineData("true")]
    public void Non_object_event_is_refused_at_the_root(string json)
    {
        Assert.Contains("must be a JSON object", ReadWhole(json).ShapeErrors["$"]);
        Invalid(json, "$");
    }

    [Fact]
    public void Numbers_beyond_their_type_are_read_as_its_extreme_and_the_rest_still_read()
    {
        var input = ReadWhole("""{"prompt_tokens":1e30,"cost_usd":-1e30,"latency_ms":1e400,"model":"m","total_tokens":3}""");
        Assert.Equal(long.MaxValue, input.PromptTokens);
        Assert.Equal(decimal.MinValue, input.CostUsd);
        Assert.Equal(double.MaxValue, input.LatencyMs);
        Assert.Equal(("m", 3L), (input.Model, input.TotalTokens!.Value));
        Assert.Empty(input.ShapeErrors);
    }

    [Fact]
    public void Wrong_types_are_collected_per_field()
    {
        var input = ReadWhole("""
            {"model":1,"provider":[],"status":true,"error_message":{},"input":2,"output":false,"trace_id":1,"span_id":[],
             "parent_span_id":{},"session_id":false,"user_id":7,"cache_write_tokens":"3","reasoning_tokens":1.5}
            """);
        Assert.Equal(
            ["cache_write_tokens", "error_message", "input", "model", "output", "parent_span_id", "provider", "reasoning_tokens",
             "session_id", "span_id", "status", "trace_id", "user_id"],
            input.ShapeErrors.Keys.Order(StringComparer.Ordinal));
    }
}
