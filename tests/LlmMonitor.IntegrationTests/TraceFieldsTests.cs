using System.Net;
using System.Text.Json.Nodes;
using LlmMonitor.IntegrationTests.Infrastructure;

namespace LlmMonitor.IntegrationTests;

/// <summary>Cache writes, reasoning tokens and the trace, session and user ids, through both ways in to llm_events.</summary>
[Collection(StackCollection.Name)]
public sealed class TraceFieldsTests(StackFixture stack)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>An agent's step on Claude: cache reads and writes, reasoning, its place in a trace and session, its user.</summary>
    private static JsonObject AgentStep(string model, Guid id)
    {
        var e = TestEvents.Event(model, promptTokens: 10_000, completionTokens: 1_500, id: id);
        e["cached_tokens"] = 3_000;
        e["cache_write_tokens"] = 2_000;
        e["reasoning_tokens"] = 600;
        e["trace_id"] = "5b8efff798038103d269b633813fc60c";
        e["span_id"] = "eee19b7ec3c1b174";
        e["parent_span_id"] = "0af7651916cd43dd";
        e["session_id"] = "support chat #7";
        e["user_id"] = "ada@example.com";
        return e;
    }

    private async Task<object?[]> StoredAsync(Guid id)
    {
        Assert.Equal(1, await stack.WaitForCountAsync(1, Patience, "SELECT count(*) FROM llm_events WHERE event_id = $1", id));
        await using var cmd = stack.Db.CreateCommand("""
            SELECT prompt_tokens, cached_tokens, cache_write_tokens, completion_tokens, reasoning_tokens, cost_usd,
                   trace_id, span_id, parent_span_id, session_id, user_id, tags ->> 'user_id'
            FROM llm_events WHERE event_id = $1
            """);
        cmd.Parameters.AddWithValue(id);
        await using var row = await cmd.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        var values = new object[row.FieldCount];
        row.GetValues(values);
        return values.Select(v => v is DBNull ? null : v).ToArray();
    }

    // (10,000 − 3,000 − 2,000) × 3 + 3,000 × 0.30 + 2,000 × 3.75 + 1,500 × 15 per million: cache writes at their own
    // price, reasoning inside the completion.
    private static readonly object?[] Expected =
    [
        10_000, 3_000, 2_000, 1_500, 600, 0.0459m,
        "5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174", "0af7651916cd43dd", "support chat #7", "ada@example.com",
        "ada@example.com", // the user is kept as the tag user_id too, where users are counted
    ];

    [Fact]
    public async Task Posted_over_HTTP_every_new_field_is_stored_and_cache_writes_are_priced()
    {
        var id = Guid.NewGuid();

        var response = await stack.GatewayClient.PostAsync("/api/events", TestEvents.Json(AgentStep("claude-sonnet-4-20250514", id)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(Expected, await StoredAsync(id));
        Assert.Equal(1, await stack.CountAsync(
            "SELECT count(*) FROM llm_sessions WHERE session_id = 'support chat #7' AND user_id = 'ada@example.com' AND 'claude-sonnet-4-20250514' = ANY(models)"));
        Assert.Equal(1, await stack.CountAsync(
            "SELECT count(*) FROM llm_traces WHERE trace_id = '5b8efff798038103d269b633813fc60c'"));
    }

    [Fact]
    public async Task Published_over_AMQP_every_new_field_is_stored_and_cache_writes_are_priced()
    {
        var id = Guid.NewGuid();

        await stack.Amqp.PublishAsync(TestEvents.Bytes(TestEvents.Array([AgentStep("claude-sonnet-4-20250514", id)])));

        Assert.Equal(Expected, await StoredAsync(id));
    }

    [Fact]
    public async Task Without_user_id_the_user_id_tag_is_stored_as_the_user()
    {
        var id = Guid.NewGuid();
        var e = TestEvents.Event(TestEvents.UniqueModel(), id: id);
        e["tags"] = new JsonObject { ["user_id"] = "u-tagged" };

        Assert.Equal(HttpStatusCode.Accepted, (await stack.GatewayClient.PostAsync("/api/events", TestEvents.Json(e))).StatusCode);

        Assert.Equal("u-tagged", (await StoredAsync(id))[10]);
    }

    [Fact]
    public async Task Parts_beyond_their_whole_and_bad_ids_are_refused_naming_the_field_and_the_rest_are_stored()
    {
        var model = TestEvents.UniqueModel();
        var tooManyWrites = AgentStep(model, Guid.NewGuid());
        tooManyWrites["cache_write_tokens"] = 7_001;
        var tooMuchReasoning = AgentStep(model, Guid.NewGuid());
        tooMuchReasoning["reasoning_tokens"] = 1_501;
        var badTrace = AgentStep(model, Guid.NewGuid());
        badTrace["trace_id"] = "not a trace id";
        var batch = TestEvents.Array([tooManyWrites, TestEvents.Event(model), tooMuchReasoning, badTrace]);

        var response = await stack.GatewayClient.PostAsync("/api/events/batch", TestEvents.Json(batch));

        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var rejected = (await response.ReadJsonAsync())["rejected"]!.AsArray()
            .ToDictionary(r => r!["index"]!.GetValue<int>(), r => string.Join(",", r!["errors"]!.AsObject().Select(e => e.Key)));
        Assert.Equal(new Dictionary<int, string> { [0] = "cache_write_tokens", [2] = "reasoning_tokens", [3] = "trace_id" }, rejected);
        Assert.Equal(1, await stack.WaitForCountAsync(1, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
    }

    [Fact]
    public async Task Over_AMQP_an_event_with_more_cache_reads_and_writes_than_prompt_goes_to_the_error_queue_and_its_neighbours_are_stored()
    {
        var model = TestEvents.UniqueModel();
        var bad = AgentStep(model, Guid.NewGuid());
        bad["cached_tokens"] = 9_000;
        bad["input"] = "the-overfull-cache";

        await stack.Amqp.PublishAsync(TestEvents.Bytes(TestEvents.Array([TestEvents.Event(model), bad, TestEvents.Event(model)])));

        Assert.Equal(2, await stack.WaitForCountAsync(2, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
        var errors = new List<(string Body, IDictionary<string, object?> Headers)>();
        var deadline = DateTime.UtcNow + Patience;
        while (!errors.Any(e => e.Body.Contains("the-overfull-cache")) && DateTime.UtcNow < deadline)
        {
            errors.AddRange(await stack.Amqp.TakeAsync("llm-events-writer_error", 1, TimeSpan.FromSeconds(1)));
        }

        var refused = Assert.Single(errors, e => e.Body.Contains("the-overfull-cache"));
        Assert.Contains("cache_write_tokens", AmqpTestClient.HeaderText(refused.Headers, "MT-Fault-Message"));
    }
}
