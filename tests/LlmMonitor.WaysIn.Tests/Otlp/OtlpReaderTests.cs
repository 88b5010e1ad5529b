using System.Text;
using LlmMonitor.IngestGateway.Otlp;

namespace LlmMonitor.WaysIn.Tests.Otlp;

public sealed class OtlpReaderTests
{
    private static readonly byte[] TraceId = Convert.FromHexString("5b8efff798038103d269b633813fc60c");
    private static readonly byte[] SpanId = Convert.FromHexString("eee19b7ec3c1b174");
    private static readonly byte[] ParentSpanId = Convert.FromHexString("0af7651916cd43dd");

    [Fact]
    public void The_protobuf_reader_reads_spans_attributes_status_and_resource()
    {
        var body = TestProto.Request(
            new Dictionary<string, object> { ["service.name"] = "checkout" },
            TestProto.Span(TraceId, SpanId, "chat gpt-4o", 1_000, 2_500_000_000, new Dictionary<string, object>
            {
                ["gen_ai.request.model"] = "gpt-4o",
                ["gen_ai.usage.input_tokens"] = 1200L,
                ["temperature"] = 0.2,
                ["stream"] = true,
            }, statusCode: 2, statusMessage: "boom", parentSpanId: ParentSpanId));

        var span = Assert.Single(OtlpProtobufReader.Read(body));

        Assert.Equal(TraceId, span.TraceId);
        Assert.Equal(SpanId, span.SpanId);
        Assert.Equal(ParentSpanId, span.ParentSpanId);
        Assert.Equal("chat gpt-4o", span.Name);
        Assert.Equal(1_000UL, span.StartTimeUnixNano);
        Assert.Equal(2_500_000_000UL, span.EndTimeUnixNano);
        Assert.Equal("gpt-4o", span.Attributes["gen_ai.request.model"]);
        Assert.Equal(1200L, span.Attributes["gen_ai.usage.input_tokens"]);
        Assert.Equal(0.2, span.Attributes["temperature"]);
        Assert.Equal(true, span.Attributes["stream"]);
        Assert.Equal(OtlpStatusCode.Error, span.StatusCode);
        Assert.Equal("boom", span.StatusMessage);
        Assert.Equal("checkout", span.ResourceAttributes["service.name"]);
    }

    [Fact]
    public void The_protobuf_reader_skips_unknown_fields_and_takes_a_resource_sent_after_its_spans()
    {
        var span = TestProto.Span(TraceId, SpanId, "s", 1, 2, new Dictionary<string, object>()).String(3, "tracestate").Int(99, 7);
        var scope = new TestProto().Message(2, span).String(3, "https://schema");
        var resource = new TestProto().Message(1, TestProto.Attribute("service.name", "late"));
        var body = new TestProto().Message(1, new TestProto().Message(2, scope).Message(1, resource)).Int(42, 1).ToArray();

        var read = Assert.Single(OtlpProtobufReader.Read(body));

        Assert.Equal("late", read.ResourceAttributes["service.name"]);
    }

    [Fact]
    public void The_protobuf_reader_reads_arrays_kvlists_bytes_empty_values_and_events()
    {
        var span = TestProto.Span(TraceId, SpanId, "s", 1, 2, new Dictionary<string, object>
            {
                ["array"] = new object[] { "x", 1L, true },
                ["kvlist"] = new Dictionary<string, object> { ["k"] = "v", ["nested"] = new Dictionary<string, object> { ["d"] = 2.5 } },
                ["bytes"] = new byte[] { 1, 2, 3 },
            })
            .Message(9, new TestProto().String(1, "empty").Message(2, new TestProto()))
            .Message(9, new TestProto().String(1, "absent"))
            .Message(11, TestProto.Event("gen_ai.content.prompt", new Dictionary<string, object> { ["gen_ai.prompt"] = "hi" }))
            .Message(11, TestProto.Event("exception", new Dictionary<string, object> { ["exception.message"] = "bad" }));

        var read = Assert.Single(OtlpProtobufReader.Read(TestProto.Request(new Dictionary<string, object>(), span)));

        Assert.Equal(new object?[] { "x", 1L, true }, Assert.IsType<List<object?>>(read.Attributes["array"]));
        var kvlist = Assert.IsType<IReadOnlyDictionary<string, object?>>(read.Attributes["kvlist"], exactMatch: false);
        Assert.Equal("v", kvlist["k"]);
        Assert.Equal(2.5, Assert.IsType<IReadOnlyDictionary<string, object?>>(kvlist["nested"], exactMatch: false)["d"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, read.Attributes["bytes"]);
        Assert.Null(read.Attributes["empty"]);
        Assert.Null(read.Attributes["absent"]);
        Assert.Equal(["gen_ai.content.prompt", "exception"], read.Events.Select(e => e.Name));
        Assert.Equal("hi", read.Events[0].Attributes["gen_ai.prompt"]);
        Assert.Equal("bad", read.Events[1].Attributes["exception.message"]);
    }

    [Theory]
    [InlineData(15, 0, true)] // the innermost value is 16 deep
    [InlineData(16, 0, false)]
    [InlineData(0, 7, true)] // a kvlist level is two deep (the list, then its KeyValue): 15
    [InlineData(0, 8, false)]
    public void Attribute_values_are_read_up_to_16_deep(int arrays, int kvlists, bool read)
    {
        object value = "leaf";
        for (var i = 0; i < kvlists; i++)
        {
            value = new Dictionary<string, object> { ["k"] = value };
        }

        for (var i = 0; i < arrays; i++)
        {
            value = new object[] { value };
        }

        var body = TestProto.Request(new Dictionary<string, object>(),
            TestProto.Span(TraceId, SpanId, "s", 1, 2, new Dictionary<string, object> { ["deep"] = value }));

        if (read)
        {
            Assert.Single(OtlpProtobufReader.Read(body));
        }
        else
        {
            Assert.Contains("nested more than 16 deep", Assert.Throws<OtlpFormatException>(() => OtlpProtobufReader.Read(body)).Message);
        }
    }

    [Fact]
    public void Values_nested_past_the_protobuf_runtime_limit_are_refused_as_malformed()
    {
        object value = "leaf";
        for (var i = 0; i < 200; i++)
        {
            value = new object[] { value };
        }

        var body = TestProto.Request(new Dictionary<string, object>(),
            TestProto.Span(TraceId, SpanId, "s", 1, 2, new Dictionary<string, object> { ["deep"] = value }));

        Assert.Throws<OtlpFormatException>(() => OtlpProtobufReader.Read(body));
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x05, 0x12, 0x03, 0x61, 0x62, 0x63 })] // truncated fixed64 inside
    [InlineData(new byte[] { 0x0A, 0x7F })] // length past the end
    [InlineData(new byte[] { 0x0B })] // group wire type
    [InlineData(new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })] // 11-byte varint
    [InlineData(new byte[] { 0x0A, 0x08, 0x12, 0x06, 0x12, 0x04, 0x2A, 0x02, 0x61, 0xFF })] // a span name that is not UTF-8
    public void A_malformed_protobuf_body_is_refused(byte[] body)
    {
        Assert.Throws<OtlpFormatException>(() => OtlpProtobufReader.Read(body));
    }

    [Fact]
    public void The_json_reader_reads_hex_ids_string_and_number_integers_and_nested_values()
    {
        var json = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},
              "scopeSpans":[{"scope":{"name":"x"},"spans":[{
                "traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"eee19b7ec3c1b174","parentSpanId":"0af7651916cd43dd","name":"chat",
                "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":1700000000500000000,
                "attributes":[
                  {"key":"a","value":{"intValue":"12"}},{"key":"b","value":{"intValue":13}},{"key":"c","value":{"doubleValue":1.5}},
                  {"key":"d","value":{"boolValue":true}},{"key":"e","value":{"arrayValue":{"values":[{"stringValue":"x"},{"intValue":"1"}]}}},
                  {"key":"f","value":{"kvlistValue":{"values":[{"key":"k","value":{"stringValue":"v"}}]}}},{"key":"g","value":{}}],
                "events":[{"name":"exception","attributes":[{"key":"exception.message","value":{"stringValue":"bad"}}]}],
                "status":{"code":"STATUS_CODE_ERROR","message":"m"},"unknownField":{"x":1}}]}]}]}
            """;

        var span = Assert.Single(OtlpJsonReader.Read(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(TraceId, span.TraceId);
        Assert.Equal(ParentSpanId, span.ParentSpanId);
        Assert.Equal(1_700_000_000_000_000_000UL, span.StartTimeUnixNano);
        Assert.Equal(1_700_000_000_500_000_000UL, span.EndTimeUnixNano);
        Assert.Equal(12L, span.Attributes["a"]);
        Assert.Equal(13L, span.Attributes["b"]);
        Assert.Equal(1.5, span.Attributes["c"]);
        Assert.Equal(true, span.Attributes["d"]);
        Assert.Equal(new object?[] { "x", 1L }, (IEnumerable<object?>)span.Attributes["e"]!);
        Assert.Equal("v", ((IReadOnlyDictionary<string, object?>)span.Attributes["f"]!)["k"]);
        Assert.Null(span.Attributes["g"]);
        Assert.Equal("exception", Assert.Single(span.Events).Name);
        Assert.Equal(OtlpStatusCode.Error, span.StatusCode);
        Assert.Equal("svc", span.ResourceAttributes["service.name"]);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("""{"resourceSpans":{}}""")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz"}]}]}]}""")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"-5"}]}]}]}""")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"a","value":{"intValue":"1.5"}}]}]}]}]}""")]
    public void A_malformed_json_body_is_refused(string json)
    {
        Assert.Throws<OtlpFormatException>(() => OtlpJsonReader.Read(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Snake_case_field_names_are_accepted_too()
    {
        var json = """{"resource_spans":[{"scope_spans":[{"spans":[{"trace_id":"5b8efff798038103d269b633813fc60c","span_id":"eee19b7ec3c1b174","parent_span_id":"0af7651916cd43dd","start_time_unix_nano":5}]}]}]}""";

        var span = Assert.Single(OtlpJsonReader.Read(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(5UL, span.StartTimeUnixNano);
        Assert.Equal(ParentSpanId, span.ParentSpanId);
    }
}
