using System.Text.Json;
using LlmMonitor.Contracts;
using LlmMonitor.Events;

namespace LlmMonitor.UnitTests.Contracts;

public class LlmCallsRecordedJsonConverterTests
{
    private static LlmCallsRecorded Read(string json) => JsonSerializer.Deserialize<LlmCallsRecorded>(json)!;

    [Fact]
    public void Single_object_is_one_event()
    {
        var message = Read("""{"model":"gpt-4o","prompt_tokens":3}""");
        var e = Assert.Single(message.Events);
        Assert.Equal(("gpt-4o", 3L), (e.Model, e.PromptTokens));
    }

    [Fact]
    public void Array_is_every_event() =>
        Assert.Equal(["a", "b", "c"], Read("""[{"model":"a"},{"model":"b"},{"model":"c"}]""").Events.Select(e => e.Model));

    [Fact]
    public void Empty_array_is_no_event() =>
        Assert.Empty(Read("[]").Events);

    [Fact]
    public void Bad_element_keeps_its_neighbours()
    {
        var events = Read("""
            [{"model":"a"},
             {"model":"b","prompt_tokens":"many","tags":{"k":1}},
             42,
             {"model":"c","latency_ms":"slow","event_id":"nope"},
             {"model":"d"}]
            """).Events;
        Assert.Equal(5, events.Count);
        Assert.Equal("a", events[0].Model);
        Assert.Empty(events[0].ShapeErrors);
        Assert.Equal(["prompt_tokens", "tags.k"], events[1].ShapeErrors.Keys.Order(StringComparer.Ordinal));
        Assert.True(events[2].ShapeErrors.ContainsKey("$"));
        Assert.Equal(["event_id", "latency_ms"], events[3].ShapeErrors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("d", events[4].Model);
        Assert.Empty(events[4].ShapeErrors);
    }

    [Fact]
    public void Object_valued_event_id_keeps_its_neighbours()
    {
        var events = Read("""[{"model":"a"},{"model":"b","event_id":{"nested":true}},{"model":"c"}]""").Events;
        Assert.Equal(["a", "b", "c"], events.Select(e => e.Model));
        Assert.True(events[1].ShapeErrors.ContainsKey("event_id"));
        Assert.Empty(events[2].ShapeErrors);
    }

    [Fact]
    public void Lone_surrogate_in_one_element_keeps_its_neighbours()
    {
        var events = Read("""[{"model":"a"},{"model":"b","input":"\udc00"},{"model":"c"}]""").Events;
        Assert.Equal(3, events.Count);
        Assert.Equal(("a", "c"), (events[0].Model, events[2].Model));
    }

    [Fact]
    public void Round_trip_keeps_every_field()
    {
        var sent = new EventInput
        {
            EventId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
            Timestamp = new DateTimeOffset(2025, 6, 15, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_560),
            Model = "gpt-4o-2024-08-06",
            Provider = "openai",
            PromptTokens = 1200,
            CompletionTokens = 350,
            TotalTokens = 1550,
            CachedTokens = 1024,
            CacheWriteTokens = 100,
            ReasoningTokens = 90,
            LatencyMs = 842.5,
            CostUsd = 0.00736m,
            TraceId = "5b8efff798038103d269b633813fc60c",
            SpanId = "eee19b7ec3c1b174",
            ParentSpanId = "0af7651916cd43dd",
            SessionId = "chat \"7f3a\" é",
            UserId = "ada@example.com",
            Status = "error",
            ErrorMessage = "rate limited \"quoted\" é 😀",
            Tags = new() { ["user_id"] = "u1", ["feature"] = "chat" },
            Input = "Summarise\nthis <ticket> & that",
            Output = "Done.",
        };

        var json = JsonSerializer.Serialize(new LlmCallsRecorded([sent, new EventInput { Model = "m" }]));
        var back = Read(json).Events;

        Assert.Equal(2, back.Count);
        var got = back[0];
        Assert.Equal(sent.EventId, got.EventId);
        Assert.Equal(sent.Timestamp, got.Timestamp);
        Assert.Equal((sent.Model, sent.Provider, sent.Status, sent.ErrorMessage), (got.Model, got.Provider, got.Status, got.ErrorMessage));
        Assert.Equal((sent.PromptTokens, sent.CompletionTokens, sent.TotalTokens, sent.CachedTokens),
            (got.PromptTokens, got.CompletionTokens, got.TotalTokens, got.CachedTokens));
        Assert.Equal((sent.CacheWriteTokens, sent.ReasoningTokens), (got.CacheWriteTokens, got.ReasoningTokens));
        Assert.Equal((sent.TraceId, sent.SpanId, sent.ParentSpanId, sent.SessionId, sent.UserId),
            (got.TraceId, got.SpanId, got.ParentSpanId, got.SessionId, got.UserId));
        Assert.Equal(sent.LatencyMs, got.LatencyMs);
        Assert.Equal(sent.CostUsd, got.CostUsd);
        Assert.Equal(sent.Tags, got.Tags);
        Assert.Equal((sent.Input, sent.Output), (got.Input, got.Output));
        Assert.Empty(got.ShapeErrors);

        var minimal = back[1];
        Assert.Equal("m", minimal.Model);
        Assert.Null(minimal.EventId);
        Assert.Null(minimal.Timestamp);
        Assert.Null(minimal.Tags);
        Assert.Null(minimal.CostUsd);
    }

    [Fact]
    public void Written_form_is_a_snake_case_array()
    {
        var json = JsonSerializer.Serialize(new LlmCallsRecorded([new EventInput { Model = "m", PromptTokens = 1, CostUsd = 0.5m }]));
        Assert.Equal("""[{"model":"m","prompt_tokens":1,"cost_usd":0.5}]""", json);
    }
}
