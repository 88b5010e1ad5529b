using System.Net;
using LlmMonitor.IntegrationTests.Infrastructure;

namespace LlmMonitor.IntegrationTests;

/// <summary>With OTEL_EXPORTER_OTLP_ENDPOINT set, a service exports its traces and metrics there by OTLP.</summary>
public sealed class ServiceTelemetryExportTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("ingest-gateway", "LlmMonitor.IngestGateway")]
    [InlineData("writer-worker", "LlmMonitor.WriterWorker")]
    public Task A_service_exports_traces_and_metrics_to_the_OTLP_endpoint(string folder, string assembly) => StackFixture.WithFreshAsync(async stack =>
    {
        using var receiver = new OtlpReceiver();
        await using var service = stack.NewService(folder, assembly, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Address.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        });
        await service.StartAsync();
        await stack.Gateway.StartAsync();
        // Traffic through both: a POST traced by the gateway, a message consumed and a batch written by the writer.
        await stack.Writer.StartAsync();
        using var http = new HttpClient { BaseAddress = folder == "ingest-gateway" ? service.BaseAddress : stack.Gateway.BaseAddress };
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync("/api/events", TestEvents.Json(TestEvents.Event(TestEvents.UniqueModel())))).StatusCode);

        var deadline = DateTime.UtcNow + Patience;
        while (!(receiver.Received("/v1/traces", folder) && receiver.Received("/v1/metrics", folder)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"exports received: {string.Join(", ", receiver.Exports.Select(e => e.Path))}");
            await Task.Delay(200);
        }
    });
}
