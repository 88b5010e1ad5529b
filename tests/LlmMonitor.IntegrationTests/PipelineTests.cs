using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LlmMonitor.IntegrationTests.Infrastructure;

namespace LlmMonitor.IntegrationTests;

/// <summary>
/// GET /api/pipeline and the Pipeline page against the whole system: the four services as processes, a second gateway,
/// the writer stopped (its queue fills), started (it drains) and killed (its heartbeat goes stale).
/// </summary>
public sealed class PipelineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public Task The_pipeline_shows_the_queue_filling_while_the_writer_is_stopped_and_empty_once_it_has_drained() => StackFixture.WithFreshAsync(async stack =>
    {
        var startedAt = DateTimeOffset.UtcNow;
        await using var aggregator = stack.NewService("aggregator", "LlmMonitor.Aggregator");
        await using var webUi = stack.NewService("web-ui", "LlmMonitor.WebUi");
        await using var secondGateway = stack.NewService("ingest-gateway", "LlmMonitor.IngestGateway");
        await Task.WhenAll(stack.Writer.StartAsync(), stack.Gateway.StartAsync(), secondGateway.StartAsync(), aggregator.StartAsync(), webUi.StartAsync());
        using var ui = new HttpClient { BaseAddress = webUi.BaseAddress };

        // Everything runs: two gateways, one of each other service, and the aggregator's recurring jobs are scheduled.
        var running = await WaitForAsync(ui, p => Service(p, "writer-worker")["ready"]!.GetValue<bool>()
            && Service(p, "aggregator")["ready"]!.GetValue<bool>() && Service(p, "web-ui")["ready"]!.GetValue<bool>() && p["jobs"]!.AsArray().Count == 6);
        Assert.Equal(2, Service(running, "ingest-gateway")["instances"]!.GetValue<long>());
        Assert.True(Service(running, "ingest-gateway")["ready"]!.GetValue<bool>());
        Assert.Equal(["alert-evaluate", "model-tag-rollup", "partition-upkeep", "reprice", "retention", "rollup-check"], running["jobs"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()));
        // Planned when the aggregator registered them; a due minute job may read as just past until Hangfire's scheduler takes it.
        Assert.All(running["jobs"]!.AsArray(), j => Assert.True(j!["next_run"]!.GetValue<DateTimeOffset>() > startedAt));
        Assert.Equal(1, Queue(running, "llm-events-writer")["consumers"]!.GetValue<long>());

        // A stopped writer says so as it goes; events wait in its queue.
        await stack.Writer.StopAsync();
        var model = TestEvents.UniqueModel();
        var postedAt = DateTimeOffset.UtcNow;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await stack.GatewayClient.PostAsync("/api/events/batch",
                TestEvents.Json(TestEvents.Array(Enumerable.Range(0, 10).Select(_ => TestEvents.Event(model)))))).StatusCode);
        }

        var waiting = await ReadAsync(ui);
        Assert.False(Service(waiting, "writer-worker")["ready"]!.GetValue<bool>());
        Assert.Equal(0, Service(waiting, "writer-worker")["instances"]!.GetValue<long>());
        var queued = await stack.Amqp.ReadyCountAsync("llm-events-writer");
        Assert.InRange(queued, 1u, 3u);
        Assert.Equal(queued, Queue(waiting, "llm-events-writer")["messages"]!.GetValue<long>());
        Assert.Equal(0, Queue(waiting, "llm-events-writer")["consumers"]!.GetValue<long>());
        Assert.Equal(0, waiting["error_queue_messages"]!.GetValue<long>());
        var page = await ui.GetStringAsync("pipeline");
        Assert.Contains($"<tr data-queue=\"llm-events-writer\">", page);
        Assert.Matches($"data-queue=\"llm-events-writer\">\\s*<td class=\"mono\">llm-events-writer</td>\\s*<td class=\"num\" data-field=\"messages\">{queued}</td>", page);

        // Started again, the writer drains the queue, and its heartbeat brings the lag and the time of the last stored event.
        await stack.Writer.StartAsync();
        var drained = await WaitForAsync(ui, p => Queue(p, "llm-events-writer")["messages"]!.GetValue<long>() == 0
            && p["last_event_at"] is { } last && last.GetValue<DateTimeOffset>() >= postedAt);
        Assert.Equal(30, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE model = $1", model));
        Assert.Equal(1, Queue(drained, "llm-events-writer")["consumers"]!.GetValue<long>());
        Assert.True(Service(drained, "writer-worker")["ready"]!.GetValue<bool>());
        // The messages waited in the queue at least as long as the writer took to start again.
        Assert.True(drained["ingest_lag_seconds"]!.GetValue<double>() > 0, $"posted at {postedAt:O}, the pipeline said: {drained}");
        Assert.Matches("data-queue=\"llm-events-writer\">\\s*<td class=\"mono\">llm-events-writer</td>\\s*<td class=\"num\" data-field=\"messages\">0</td>",
            await ui.GetStringAsync("pipeline"));

        // A writer that dies says nothing: its heartbeat goes stale and it is no longer counted.
        stack.Writer.Kill();
        var dead = await WaitForAsync(ui, p => !Service(p, "writer-worker")["ready"]!.GetValue<bool>());
        Assert.Equal(0, Service(dead, "writer-worker")["instances"]!.GetValue<long>());
    });

    private static JsonNode Service(JsonNode pipeline, string name) => pipeline["services"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == name)!;

    private static JsonNode Queue(JsonNode pipeline, string name) => pipeline["queues"]!.AsArray().Single(q => q!["name"]!.GetValue<string>() == name)!;

    private static async Task<JsonNode> ReadAsync(HttpClient ui) => (await ui.GetFromJsonAsync<JsonNode>("api/pipeline"))!;

    private static async Task<JsonNode> WaitForAsync(HttpClient ui, Func<JsonNode, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var pipeline = await ReadAsync(ui);
            if (condition(pipeline))
            {
                return pipeline;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the pipeline did not reach the expected state: {pipeline}");
            await Task.Delay(250);
        }
    }
}
