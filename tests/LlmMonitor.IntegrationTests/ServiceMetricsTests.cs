using System.Net;
using System.Text;
using LlmMonitor.IntegrationTests.Infrastructure;

namespace LlmMonitor.IntegrationTests;

/// <summary>GET /metrics of every service: LLM Monitor's instruments count exactly what happened, and the runtime's and ASP.NET Core's are there.</summary>
public sealed class ServiceMetricsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public Task The_gateway_and_the_writer_count_every_event_they_accept_refuse_store_and_skip() => StackFixture.WithFreshAsync(async stack =>
    {
        await stack.Writer.StartAsync();
        await stack.Gateway.StartAsync();
        var gatewayBefore = await MetricsScrape.OfAsync(stack.Gateway);
        var writerBefore = await MetricsScrape.OfAsync(stack.Writer);
        var model = TestEvents.UniqueModel();
        var repeated = TestEvents.Event(model, id: Guid.NewGuid(), timestamp: DateTimeOffset.UtcNow);

        // single: one valid event sent twice (the second is a duplicate), one invalid
        Assert.Equal(HttpStatusCode.Accepted, (await stack.GatewayClient.PostAsync("/api/events", TestEvents.Json(repeated))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await stack.GatewayClient.PostAsync("/api/events", TestEvents.Json(repeated.DeepClone()))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await stack.GatewayClient.PostAsync("/api/events", TestEvents.Json(TestEvents.Event(model, promptTokens: -1)))).StatusCode);
        // batch: five valid, two invalid
        var batch = Enumerable.Range(0, 5).Select(i => TestEvents.Event(model, promptTokens: i))
            .Append(TestEvents.Event(model, promptTokens: -1)).Append(TestEvents.Event("")).ToList();
        Assert.Equal(HttpStatusCode.MultiStatus, (await stack.GatewayClient.PostAsync("/api/events/batch", TestEvents.Json(TestEvents.Array(batch)))).StatusCode);
        // OTLP: two GenAI spans that become events, one that cannot
        Assert.Equal(HttpStatusCode.OK, (await stack.GatewayClient.PostAsync("/v1/traces", OtlpExport(model, inputTokens: [10, 20, -5]))).StatusCode);

        var writerAfter = await WaitForAsync(stack.Writer, scrape =>
            Delta(scrape, writerBefore, "llm_monitor_events_stored_total") >= 8 && Delta(scrape, writerBefore, "llm_monitor_events_duplicate_total") >= 1);
        var gatewayAfter = await MetricsScrape.OfAsync(stack.Gateway);

        Assert.Equal(2, Delta(gatewayAfter, gatewayBefore, "llm_monitor_events_accepted_total", ("path", "single")));
        Assert.Equal(5, Delta(gatewayAfter, gatewayBefore, "llm_monitor_events_accepted_total", ("path", "batch")));
        Assert.Equal(2, Delta(gatewayAfter, gatewayBefore, "llm_monitor_events_accepted_total", ("path", "otlp")));
        Assert.Equal(1, Delta(gatewayAfter, gatewayBefore, "llm_monitor_events_rejected_total", ("path", "single")));
        Assert.Equal(2, Delta(gatewayAfter, gatewayBefore, "llm_monitor_events_rejected_total", ("path", "batch")));
        Assert.Equal(1, Delta(gatewayAfter, gatewayBefore, "llm_monitor_events_rejected_total", ("path", "otlp")));
        Assert.Equal(8, Delta(writerAfter, writerBefore, "llm_monitor_events_stored_total"));
        Assert.Equal(1, Delta(writerAfter, writerBefore, "llm_monitor_events_duplicate_total"));
        Assert.Equal(8, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE model = $1", model));

        // Every message came from the gateway, which stamps its receive time: each has a lag, and at least one batch was timed.
        Assert.True(writerAfter.Declares("llm_monitor_writer_batch_seconds") && writerAfter.Declares("llm_monitor_ingest_lag_seconds"), writerAfter.Text);
        Assert.InRange(Delta(writerAfter, writerBefore, "llm_monitor_writer_batch_seconds_count"), 1, 5);
        Assert.InRange(Delta(writerAfter, writerBefore, "llm_monitor_ingest_lag_seconds_count"), 1, 5);
        Assert.True(Delta(writerAfter, writerBefore, "llm_monitor_ingest_lag_seconds_sum") > 0);
        Assert.Equal(Delta(writerAfter, writerBefore, "llm_monitor_ingest_lag_seconds_count"),
            writerAfter.Value("llm_monitor_ingest_lag_seconds_bucket", ("le", "+Inf")) - writerBefore.Value("llm_monitor_ingest_lag_seconds_bucket", ("le", "+Inf")));
    });

    [Fact]
    public Task Every_service_serves_runtime_and_http_metrics_that_move_with_its_requests() => StackFixture.WithFreshAsync(async stack =>
    {
        await using var aggregator = stack.NewService("aggregator", "LlmMonitor.Aggregator");
        await using var webUi = stack.NewService("web-ui", "LlmMonitor.WebUi");
        var services = new[] { stack.Gateway, stack.Writer, aggregator, webUi };
        await Task.WhenAll(services.Select(s => s.StartAsync()));

        foreach (var service in services)
        {
            using var http = new HttpClient { BaseAddress = service.BaseAddress };
            var before = await MetricsScrape.OfAsync(service);
            for (var i = 0; i < 3; i++)
            {
                (await http.GetAsync("health/live")).EnsureSuccessStatusCode();
            }

            var after = await MetricsScrape.OfAsync(service);
            Assert.True(after.Declares("dotnet_process_memory_working_set_bytes") && after.Declares("dotnet_gc_heap_total_allocated_bytes_total"),
                $"{service.BaseAddress}: no runtime instruments\n{after.Text}");
            Assert.True(after.Declares("http_server_request_duration_seconds"), $"{service.BaseAddress}: no ASP.NET Core instruments\n{after.Text}");
            Assert.Equal(3, Delta(after, before, "http_server_request_duration_seconds_count", ("http_route", "/health/live")));
        }
    });

    private static double Delta(MetricsScrape after, MetricsScrape before, string name, params (string, string)[] labels) =>
        after.Value(name, labels) - before.Value(name, labels);

    private static async Task<MetricsScrape> WaitForAsync(ServiceProcess service, Func<MetricsScrape, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var scrape = await MetricsScrape.OfAsync(service);
            if (condition(scrape))
            {
                return scrape;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the metrics did not reach the expected values:\n{scrape.Text}");
            await Task.Delay(200);
        }
    }

    /// <summary>An OTLP/JSON export with one chat span per entry, each with these input tokens (a negative count is invalid).</summary>
    private static StringContent OtlpExport(string model, int[] inputTokens)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        var traceId = Guid.NewGuid().ToString("N");
        var spans = inputTokens.Select((tokens, i) => $$$"""
            {"traceId":"{{{traceId}}}","spanId":"{{{i + 1:x16}}}","name":"chat {{{model}}}","startTimeUnixNano":"{{{now}}}","endTimeUnixNano":"{{{now + 250_000_000}}}",
             "attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"{{{model}}}"}},
               {"key":"gen_ai.usage.input_tokens","value":{"intValue":"{{{tokens}}}"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"5"}}]}
            """);
        var body = $$$"""{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{"name":"tests"},"spans":[{{{string.Join(',', spans)}}}]}]}]}""";
        return new StringContent(body, Encoding.UTF8, "application/json");
    }
}
