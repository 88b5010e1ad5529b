using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmMonitor.IntegrationTests.Infrastructure;

namespace LlmMonitor.IntegrationTests;

[Collection(StackCollection.Name)]
public sealed class IngestHttpTests(StackFixture stack)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_posted_event_is_stored_with_its_fields_and_catalogue_price()
    {
        var model = TestEvents.UniqueModel("gpt-4o-2024-08-06");
        var ev = TestEvents.Event(model, promptTokens: 1000, completionTokens: 500, latencyMs: 812.5);
        ev["cached_tokens"] = 200;
        ev["input"] = "hello";
        ev["output"] = "world";

        var response = await stack.GatewayClient.PostAsync("/api/events", TestEvents.Json(ev));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = Guid.Parse((await response.ReadJsonAsync())["event_id"]!.GetValue<string>());
        Assert.Equal(1, await stack.WaitForCountAsync(1, Patience, "SELECT count(*) FROM llm_events WHERE event_id = $1", id));

        await using var cmd = stack.Db.CreateCommand(
            "SELECT model, provider, prompt_tokens, completion_tokens, total_tokens, cached_tokens, latency_ms, cost_usd, cost_source, status, tags->>'feature', input, output FROM llm_events WHERE event_id = $1");
        cmd.Parameters.AddWithValue(id);
        await using var row = await cmd.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.Equal(model, row.GetString(0));
        Assert.Equal("openai", row.GetString(1));
        Assert.Equal(1000, row.GetInt32(2));
        Assert.Equal(500, row.GetInt32(3));
        Assert.Equal(1500, row.GetInt64(4));
        Assert.Equal(200, row.GetInt32(5));
        Assert.Equal(812.5, row.GetDouble(6));
        // Unknown suffix: the "-it…" model is not in the catalogue, so it is unpriced.
        Assert.True(row.IsDBNull(7));
        Assert.Equal("catalogue", row.GetString(8));
        Assert.Equal("success", row.GetString(9));
        Assert.Equal("tests", row.GetString(10));
        Assert.Equal("hello", row.GetString(11));
        Assert.Equal("world", row.GetString(12));
    }

    [Fact]
    public async Task A_catalogue_model_is_priced_by_the_writer()
    {
        var id = Guid.NewGuid();
        var ev = TestEvents.Event("gpt-4o-2024-08-06", promptTokens: 1000, completionTokens: 500, id: id);
        ev["cached_tokens"] = 200;

        var response = await stack.GatewayClient.PostAsync("/api/events", TestEvents.Json(ev));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, await stack.WaitForCountAsync(1, Patience, "SELECT count(*) FROM llm_events WHERE event_id = $1", id));
        await using var cmd = stack.Db.CreateCommand("SELECT cost_usd FROM llm_events WHERE event_id = $1");
        cmd.Parameters.AddWithValue(id);
        // (1000 − 200) × 2.50 + 200 × 1.25 + 500 × 10, per million tokens
        Assert.Equal(0.00725m, (decimal)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_batch_of_10000_events_stores_exactly_10000_rows()
    {
        var model = TestEvents.UniqueModel();
        var posts = Enumerable.Range(0, 10).Select(_ => stack.GatewayClient.PostAsync("/api/events/batch",
            TestEvents.Json(TestEvents.Array(Enumerable.Range(0, 1000).Select(i => TestEvents.Event(model, promptTokens: i))))));

        var responses = await Task.WhenAll(posts);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Equal(10_000, await stack.WaitForCountAsync(10_000, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
        await stack.SettleAsync();
        try
        {
            Assert.Equal(10_000, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE model = $1", model));
            Assert.Equal(10_000, await stack.CountAsync("SELECT sum(request_count) FROM llm_rollup_hourly WHERE model = $1", model));
        }
        finally
        {
            await stack.ResumeAsync();
        }
    }

    [Fact]
    public async Task A_bad_event_in_a_batch_gets_207_and_the_rest_are_stored()
    {
        var model = TestEvents.UniqueModel();
        var bad = TestEvents.Event(model);
        bad["prompt_tokens"] = -5;
        var batch = TestEvents.Array([TestEvents.Event(model), TestEvents.Event(model), bad, TestEvents.Event(model)]);

        var response = await stack.GatewayClient.PostAsync("/api/events/batch", TestEvents.Json(batch));

        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(3, body["accepted"]!.AsArray().Count);
        var rejected = Assert.Single(body["rejected"]!.AsArray())!;
        Assert.Equal(2, rejected["index"]!.GetValue<int>());
        Assert.Equal("must be >= 0", rejected["errors"]!["prompt_tokens"]![0]!.GetValue<string>());
        Assert.Equal(3, await stack.WaitForCountAsync(3, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
    }

    [Fact]
    public async Task An_invalid_event_gets_400_naming_each_bad_field_and_nothing_is_stored()
    {
        var model = TestEvents.UniqueModel();
        var ev = TestEvents.Event(model);
        ev["prompt_tokens"] = "many";
        ev["status"] = "maybe";
        ev["latency_ms"] = -1;

        var response = await stack.GatewayClient.PostAsync("/api/events", TestEvents.Json(ev));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.ReadJsonAsync())["errors"]!.AsObject();
        Assert.Contains("prompt_tokens", errors.Select(e => e.Key));
        Assert.Contains("status", errors.Select(e => e.Key));
        Assert.Contains("latency_ms", errors.Select(e => e.Key));
        await AssertNothingStoredAsync(model);
    }

    [Theory]
    [InlineData("/api/events", "{not json")]
    [InlineData("/api/events", "[{\"model\":\"m\"}]")]
    [InlineData("/api/events", "")]
    [InlineData("/api/events/batch", "{\"model\":\"m\"}")]
    [InlineData("/api/events/batch", "[]")]
    public async Task A_malformed_body_gets_400_with_a_problem(string path, string body)
    {
        var response = await stack.GatewayClient.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await response.ReadJsonAsync())["detail"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Over_1000_events_in_a_batch_are_refused()
    {
        var model = TestEvents.UniqueModel();
        var response = await stack.GatewayClient.PostAsync("/api/events/batch",
            TestEvents.Json(TestEvents.Array(Enumerable.Range(0, 1001).Select(_ => TestEvents.Event(model)))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertNothingStoredAsync(model);
    }

    [Theory]
    [InlineData("/api/events", 1024 * 1024 + 1)]
    [InlineData("/api/events/batch", 10 * 1024 * 1024 + 1)]
    public async Task A_body_over_the_limit_gets_413(string path, int size)
    {
        var ev = new JsonObject { ["model"] = "gpt-4o", ["input"] = new string('x', size) };

        var response = await stack.GatewayClient.PostAsync(path, TestEvents.Json(path.EndsWith("batch") ? new JsonArray(ev) : ev));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Swagger_documents_the_ingest_endpoints()
    {
        var doc = await stack.GatewayClient.GetStringAsync("/swagger/v1/swagger.json");
        Assert.Contains("/api/events/batch", doc);
        Assert.Contains("prompt_tokens", doc);
        Assert.Equal(HttpStatusCode.OK, (await stack.GatewayClient.GetAsync("/docs/index.html")).StatusCode);
    }

    private async Task AssertNothingStoredAsync(string model)
    {
        await stack.SettleAsync();
        try
        {
            Assert.Equal(0, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE model = $1", model));
        }
        finally
        {
            await stack.ResumeAsync();
        }
    }
}
