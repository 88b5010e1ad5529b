using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using LlmMonitor.IngestGateway.Otlp;
using LlmMonitor.IntegrationTests.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LlmMonitor.WaysIn.Tests.Otlp;

/// <summary>OTLP/HTTP into the real gateway and writer: the OpenTelemetry .NET SDK's exporter, and raw JSON and protobuf bodies.</summary>
[Collection(WaysInStack.Name)]
public sealed class OtlpExportTests(StackFixture stack)
{
    private Uri TracesUrl => new(stack.Gateway.BaseAddress, "v1/traces");

    [Fact]
    public async Task An_export_whose_GenAI_spans_exceed_one_message_is_stored_whole_not_sent_to_the_error_queue()
    {
        // 200 spans with 60,000-character prompts: about 12 MB of events, more than one message may hold (10 MiB).
        var model = $"otlp-large-{Guid.NewGuid():N}";
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        var prompt = new string('p', 60_000);
        var spans = Enumerable.Range(0, 200).Select(i => TestProto.Span(Guid.NewGuid().ToByteArray(), BitConverter.GetBytes((long)i + 1), "chat", now, now + 1_000_000,
            new Dictionary<string, object> { ["gen_ai.operation.name"] = "chat", ["gen_ai.request.model"] = model, ["gen_ai.prompt"] = prompt })).ToArray();
        using var http = new HttpClient();
        using var content = new ByteArrayContent(TestProto.Request(new Dictionary<string, object>(), spans));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");

        var response = await http.PostAsync(TracesUrl, content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(200, await stack.WaitForCountAsync(200, TimeSpan.FromSeconds(60), "SELECT count(*) FROM llm_events WHERE model = $1", model));
    }

    [Fact]
    public async Task GenAI_spans_exported_by_the_OpenTelemetry_SDK_over_HTTP_protobuf_are_stored_with_tokens_and_cost()
    {
        using var source = new ActivitySource($"ways-in-tests-{Guid.NewGuid():N}");
        using var provider = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService("otel-checkout"))
            .AddSource(source.Name)
            .AddOtlpExporter(o =>
            {
                o.Endpoint = TracesUrl;
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.ExportProcessorType = ExportProcessorType.Batch;
            })
            .Build();

        Activity chat, failed, plain, tool;
        using (chat = source.StartActivity("chat gpt-4o", ActivityKind.Client)!)
        {
            chat.SetTag("gen_ai.operation.name", "chat");
            chat.SetTag("gen_ai.provider.name", "openai");
            chat.SetTag("gen_ai.request.model", "gpt-4o");
            chat.SetTag("gen_ai.response.model", "gpt-4o-2024-08-06");
            chat.SetTag("gen_ai.usage.input_tokens", 1000);
            chat.SetTag("gen_ai.usage.output_tokens", 500);
            chat.SetTag("gen_ai.usage.cache_read.input_tokens", 200);
            chat.SetTag("llm_monitor.tag.feature", "cart");
            await Task.Delay(30);
        }

        using (failed = source.StartActivity("chat claude-sonnet-4", ActivityKind.Client)!)
        {
            failed.SetTag("gen_ai.operation.name", "chat");
            failed.SetTag("gen_ai.system", "anthropic");
            failed.SetTag("gen_ai.request.model", "claude-sonnet-4-20250514");
            failed.SetTag("error.type", "overloaded_error");
            failed.SetStatus(ActivityStatusCode.Error, "Overloaded");
        }

        using (plain = source.StartActivity("GET /orders", ActivityKind.Server)!)
        {
            plain.SetTag("http.request.method", "GET");
        }

        using (tool = source.StartActivity("execute_tool lookup", ActivityKind.Internal)!)
        {
            tool.SetTag("gen_ai.operation.name", "execute_tool");
        }

        Assert.True(provider.ForceFlush(15_000), "the exporter could not deliver the spans");

        var ok = await stack.RowAsync(EventId(chat));
        Assert.Equal(("gpt-4o-2024-08-06", "openai", 1000, 500, 200), (ok.Model, ok.Provider, ok.PromptTokens, ok.CompletionTokens, ok.CachedTokens));
        // (1000 − 200) × 2.50 + 200 × 1.25 + 500 × 10, per million tokens
        Assert.Equal(0.00725m, ok.CostUsd);
        Assert.Equal("success", ok.Status);
        Assert.InRange(ok.LatencyMs!.Value, 25, 5_000);
        Assert.Equal(new DateTimeOffset(chat.StartTimeUtc).ToUnixTimeMilliseconds(), ok.Timestamp.ToUnixTimeMilliseconds());
        Assert.Contains("\"service.name\": \"otel-checkout\"", ok.Tags);
        Assert.Contains("\"feature\": \"cart\"", ok.Tags);

        var error = await stack.RowAsync(EventId(failed));
        Assert.Equal(("anthropic", "error", "overloaded_error: Overloaded"), (error.Provider, error.Status, error.ErrorMessage));

        await Task.Delay(500);
        Assert.Equal(0, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE event_id = ANY($1)", new[] { EventId(plain), EventId(tool) }));
    }

    [Fact]
    public async Task An_agent_span_with_two_chat_spans_arrives_as_one_trace_of_two_calls_with_session_user_and_parent()
    {
        using var source = new ActivitySource($"ways-in-tests-{Guid.NewGuid():N}");
        using var provider = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService("otel-agent"))
            .AddSource(source.Name)
            .AddOtlpExporter(o =>
            {
                o.Endpoint = TracesUrl;
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
            })
            .Build();
        var session = $"conv-{Guid.NewGuid():N}";

        Activity agent, plan, answer;
        using (agent = source.StartActivity("invoke_agent support", ActivityKind.Internal)!)
        {
            agent.SetTag("gen_ai.operation.name", "invoke_agent");
            agent.SetTag("gen_ai.conversation.id", session);
            agent.SetTag("gen_ai.usage.input_tokens", 9000); // the sum of its calls: must not be counted again
            plan = Chat("claude-sonnet-4-20250514", session, cacheRead: 0, cacheWrite: 4000, reasoning: 300);
            await Task.Delay(5);
            answer = Chat("claude-sonnet-4-20250514", session, cacheRead: 4000, cacheWrite: 0, reasoning: 0);
        }

        Assert.True(provider.ForceFlush(15_000), "the exporter could not deliver the spans");

        var trace = agent.TraceId.ToHexString();
        Assert.Equal(2, await stack.WaitForRowsAsync(2, "trace_id = $1", trace));
        await using var cmd = stack.Db.CreateCommand("""
            SELECT event_id, span_id, parent_span_id, session_id, user_id, prompt_tokens, cached_tokens, cache_write_tokens,
                   completion_tokens, reasoning_tokens, cost_usd
            FROM llm_events WHERE trace_id = $1 ORDER BY timestamp
            """);
        cmd.Parameters.AddWithValue(trace);
        var calls = new List<object[]>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var row = new object[reader.FieldCount];
                reader.GetValues(row);
                calls.Add(row);
            }
        }

        // Claude Sonnet 4, per million tokens: plan 1,000 × 3 + 4,000 × 3.75 (cache writes) + 800 × 15;
        // answer 1,000 × 3 + 4,000 × 0.30 (cache reads) + 800 × 15.
        var parent = agent.SpanId.ToHexString();
        Assert.Equal(
            [
                [EventId(plan), plan.SpanId.ToHexString(), parent, session, "u-42", 5000, 0, 4000, 800, 300, 0.03m],
                [EventId(answer), answer.SpanId.ToHexString(), parent, session, "u-42", 5000, 4000, 0, 800, 0, 0.0162m],
            ],
            calls);
        await Task.Delay(500);
        Assert.Equal(0, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE event_id = $1", EventId(agent)));

        Activity Chat(string model, string conversation, int cacheRead, int cacheWrite, int reasoning)
        {
            using var chat = source.StartActivity($"chat {model}", ActivityKind.Client)!;
            chat.SetTag("gen_ai.operation.name", "chat");
            chat.SetTag("gen_ai.provider.name", "anthropic");
            chat.SetTag("gen_ai.request.model", model);
            chat.SetTag("gen_ai.conversation.id", conversation);
            chat.SetTag("user.id", "u-42");
            chat.SetTag("gen_ai.usage.input_tokens", 5000);
            chat.SetTag("gen_ai.usage.output_tokens", 800);
            chat.SetTag("gen_ai.usage.cache_read.input_tokens", cacheRead);
            chat.SetTag("gen_ai.usage.cache_creation.input_tokens", cacheWrite);
            chat.SetTag("gen_ai.usage.reasoning.output_tokens", reasoning);
            return chat;
        }
    }

    [Fact]
    public async Task The_same_spans_exported_twice_are_stored_and_counted_once()
    {
        using var source = new ActivitySource($"ways-in-tests-{Guid.NewGuid():N}");
        var exporter = new OtlpTraceExporter(new OtlpExporterOptions { Endpoint = TracesUrl, Protocol = OtlpExportProtocol.HttpProtobuf });
        using var provider = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService("otel-retry"))
            .AddSource(source.Name)
            .AddProcessor(new SimpleActivityExportProcessor(exporter))
            .Build();
        var model = $"gpt-4o-mini-otel{Guid.NewGuid():N}"[..30];
        var spans = new List<Activity>();
        for (var i = 0; i < 3; i++)
        {
            using var span = source.StartActivity("chat", ActivityKind.Client)!;
            span.SetTag("gen_ai.request.model", model);
            span.SetTag("gen_ai.usage.input_tokens", 100 + i);
            span.SetTag("gen_ai.usage.output_tokens", 10);
            spans.Add(span);
        }

        // What an exporter's retry, or a collector replaying its queue, sends: the same spans again.
        Assert.Equal(ExportResult.Success, exporter.Export(new Batch<Activity>(spans.ToArray(), spans.Count)));

        Assert.Equal(3, await stack.WaitForRowsAsync(3, "model = $1", model));
        await Task.Delay(1000);
        Assert.Equal(3, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE model = $1", model));
        Assert.Equal(3, await stack.CountAsync("SELECT sum(request_count) FROM llm_rollup_hourly WHERE model = $1", model));
    }

    [Fact]
    public async Task A_gzipped_JSON_export_is_stored_and_a_retry_of_it_counted_once()
    {
        var traceId = RandomNumberGenerator(16);
        var spanId = RandomNumberGenerator(8);
        var start = DateTimeOffset.UtcNow.AddMinutes(-2);
        var startNanos = (start - DateTimeOffset.UnixEpoch).Ticks * 100;
        var json = $$$"""
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-app"}}]},
              "scopeSpans":[{"scope":{"name":"manual"},"spans":[{
                "traceId":"{{{Convert.ToHexString(traceId)}}}","spanId":"{{{Convert.ToHexString(spanId)}}}","name":"chat claude","kind":3,
                "startTimeUnixNano":"{{{startNanos}}}","endTimeUnixNano":"{{{startNanos + 1_830_000_000}}}",
                "attributes":[
                  {"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},
                  {"key":"gen_ai.provider.name","value":{"stringValue":"anthropic"}},
                  {"key":"gen_ai.response.model","value":{"stringValue":"claude-sonnet-4-20250514"}},
                  {"key":"gen_ai.usage.input_tokens","value":{"intValue":"2100"}},
                  {"key":"gen_ai.usage.output_tokens","value":{"intValue":"503"}},
                  {"key":"gen_ai.usage.cache_read.input_tokens","value":{"intValue":"1800"}},
                  {"key":"user.id","value":{"stringValue":"u-99"}}]}]}]}]}
            """;

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var response = await PostAsync(Gzip(Encoding.UTF8.GetBytes(json)), "application/json", gzip: true);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        }

        var id = SpanEventId.From(traceId, spanId);
        var row = await stack.RowAsync(id);
        Assert.Equal(("claude-sonnet-4-20250514", "anthropic", 2100, 503, 1800, 1830.0), (row.Model, row.Provider, row.PromptTokens, row.CompletionTokens, row.CachedTokens, row.LatencyMs));
        // (2100 − 1800) × 3 + 1800 × 0.30 + 503 × 15, per million tokens
        Assert.Equal(0.008985m, row.CostUsd);
        Assert.Contains("\"user_id\": \"u-99\"", row.Tags);
        await Task.Delay(500);
        Assert.Equal(1, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE event_id = $1", id));
    }

    [Fact]
    public async Task Refused_GenAI_spans_are_reported_as_partial_success_in_protobuf()
    {
        var now = (ulong)(DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
        var model = $"gpt-4o-partial{Guid.NewGuid():N}"[..28];
        var body = TestProto.Request(
            new Dictionary<string, object> { ["service.name"] = "partial" },
            TestProto.Span(RandomNumberGenerator(16), RandomNumberGenerator(8), "good", now, now + 1_000_000,
                new Dictionary<string, object> { ["gen_ai.request.model"] = model, ["gen_ai.usage.input_tokens"] = 5L }),
            TestProto.Span(RandomNumberGenerator(16), RandomNumberGenerator(8), "no model", now, now + 1_000_000,
                new Dictionary<string, object> { ["gen_ai.system"] = "openai" }),
            TestProto.Span(RandomNumberGenerator(16), RandomNumberGenerator(8), "negative", now, now + 1_000_000,
                new Dictionary<string, object> { ["gen_ai.request.model"] = model, ["gen_ai.usage.output_tokens"] = -3L }));

        var response = await PostAsync(body, "application/x-protobuf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        var (rejected, message) = ReadPartialSuccess(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, rejected);
        Assert.Contains("gen_ai.request.model", message);
        Assert.Contains("completion_tokens: must be >= 0", message);
        Assert.Equal(1, await stack.WaitForRowsAsync(1, "model = $1", model));
    }

    [Theory]
    [InlineData("application/x-protobuf", new byte[] { 0x0A, 0x7F, 0x01 })]
    [InlineData("application/json", new byte[] { (byte)'{', (byte)'x' })]
    public async Task A_malformed_export_gets_400_so_that_it_is_not_retried(string contentType, byte[] body)
    {
        var response = await PostAsync(body, contentType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task An_export_in_another_format_gets_415()
    {
        var response = await PostAsync("spans"u8.ToArray(), "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string contentType, bool gzip = false)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        return await stack.GatewayClient.PostAsync(TracesUrl, content);
    }

    internal static Guid EventId(Activity activity)
    {
        Span<byte> trace = stackalloc byte[16];
        Span<byte> span = stackalloc byte[8];
        activity.TraceId.CopyTo(trace);
        activity.SpanId.CopyTo(span);
        return SpanEventId.From(trace, span);
    }

    /// <summary>An ExportTraceServiceResponse's partial_success, read without the gateway's generated types.</summary>
    internal static (long Rejected, string Message) ReadPartialSuccess(byte[] body)
    {
        var response = new CodedInputStream(body);
        Assert.Equal(WireFormat.MakeTag(1, WireFormat.WireType.LengthDelimited), response.ReadTag());
        var partialSuccess = new CodedInputStream(response.ReadBytes().ToByteArray());
        long rejected = 0;
        var message = "";
        while (partialSuccess.ReadTag() is var tag and not 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    rejected = partialSuccess.ReadInt64();
                    break;
                case 2:
                    message = partialSuccess.ReadString();
                    break;
                default:
                    partialSuccess.SkipLastField();
                    break;
            }
        }

        return (rejected, message);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] RandomNumberGenerator(int length) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(length);
}
