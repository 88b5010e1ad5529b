using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using LlmMonitor.IngestGateway.Otlp;
using LlmMonitor.IntegrationTests.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace LlmMonitor.WaysIn.Tests.Otlp;

/// <summary>OTLP answers that need a gateway of their own: one whose broker is unreachable, one that requires keys.</summary>
[Collection(WaysInStack.Name)]
public sealed class OtlpGatewayAnswersTests(StackFixture stack)
{
    [Fact]
    public async Task With_the_broker_unreachable_an_export_gets_503_with_Retry_After()
    {
        // A gateway of its own pointed at a port where no broker listens: the shared servers keep running.
        await using var gateway = stack.NewService("ingest-gateway", "LlmMonitor.IngestGateway",
            new Dictionary<string, string> { ["RABBITMQ_URL"] = $"amqp://guest:guest@127.0.0.1:{FreePorts.Next()}/" });
        await gateway.StartAsync(waitReady: false);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var now = (ulong)(DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
        var body = TestProto.Request(new Dictionary<string, object>(), TestProto.Span(
            System.Security.Cryptography.RandomNumberGenerator.GetBytes(16), System.Security.Cryptography.RandomNumberGenerator.GetBytes(8),
            "chat", now, now + 1000, new Dictionary<string, object> { ["gen_ai.request.model"] = "gpt-4o" }));
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");

        var response = await http.PostAsync("v1/traces", content);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        // google.rpc.Status, read without the gateway's generated types: code = 1 is UNAVAILABLE.
        var status = new CodedInputStream(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(WireFormat.MakeTag(1, WireFormat.WireType.Varint), status.ReadTag());
        Assert.Equal(14, status.ReadInt32());
    }

    [Fact]
    public async Task With_INGEST_API_KEYS_set_the_exporter_sends_its_key_in_a_header()
    {
        await using var gateway = stack.NewService("ingest-gateway", "LlmMonitor.IngestGateway",
            new Dictionary<string, string> { ["INGEST_API_KEYS"] = "otel-key" });
        await gateway.StartAsync();
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        var unauthorised = await http.PostAsync("v1/traces", new ByteArrayContent([]) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-protobuf") } });
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorised.StatusCode);

        using var source = new ActivitySource($"ways-in-tests-{Guid.NewGuid():N}");
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(source.Name)
            .AddOtlpExporter(o =>
            {
                o.Endpoint = new Uri(gateway.BaseAddress, "v1/traces");
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Headers = "x-api-key=otel-key";
            })
            .Build();
        Activity span;
        using (span = source.StartActivity("chat", ActivityKind.Client)!)
        {
            span.SetTag("gen_ai.request.model", "gpt-4o-mini");
            span.SetTag("gen_ai.usage.input_tokens", 1000);
            span.SetTag("gen_ai.usage.output_tokens", 100);
        }

        Assert.True(provider.ForceFlush(15_000));
        var row = await stack.RowAsync(OtlpExportTests.EventId(span));
        // 1000 × 0.15 + 100 × 0.60, per million tokens
        Assert.Equal(0.00021m, row.CostUsd);
    }
}
