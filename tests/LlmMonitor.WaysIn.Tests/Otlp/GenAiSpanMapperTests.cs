using LlmMonitor.Events;
using LlmMonitor.IngestGateway.Otlp;

namespace LlmMonitor.WaysIn.Tests.Otlp;

public sealed class GenAiSpanMapperTests
{
    private static readonly byte[] TraceId = Convert.FromHexString("5b8efff798038103d269b633813fc60c");
    private static readonly byte[] SpanId = Convert.FromHexString("eee19b7ec3c1b174");
    private static readonly byte[] ParentSpanId = Convert.FromHexString("0af7651916cd43dd");
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private static OtlpSpan Span(Dictionary<string, object?> attributes, OtlpStatusCode status = OtlpStatusCode.Unset, string message = "",
        IReadOnlyList<OtlpSpanEvent>? events = null, Dictionary<string, object?>? resource = null, byte[]? spanId = null, byte[]? parentSpanId = null)
    {
        var start = (ulong)(Start - DateTimeOffset.UnixEpoch).Ticks * 100 + 1234;
        return new OtlpSpan(TraceId, spanId ?? SpanId, parentSpanId ?? [], "chat", start, start + 842_500_000, attributes, status, message,
            events ?? [], resource ?? new Dictionary<string, object?>());
    }

    [Fact]
    public void A_chat_span_becomes_an_event_with_model_provider_tokens_latency_and_start_time()
    {
        var e = GenAiSpanMapper.Map(Span(new()
        {
            ["gen_ai.operation.name"] = "chat",
            ["gen_ai.request.model"] = "gpt-4o",
            ["gen_ai.response.model"] = "gpt-4o-2024-08-06",
            ["gen_ai.provider.name"] = "openai",
            ["gen_ai.system"] = "older-name",
            ["gen_ai.usage.input_tokens"] = 1000L,
            ["gen_ai.usage.output_tokens"] = 500L,
            ["gen_ai.usage.cache_read.input_tokens"] = 200L,
        }))!;

        Assert.Equal("gpt-4o-2024-08-06", e.Model);
        Assert.Equal("openai", e.Provider);
        Assert.Equal((1000L, 500L, 200L), (e.PromptTokens, e.CompletionTokens, e.CachedTokens));
        Assert.Equal(842.5, e.LatencyMs);
        Assert.Equal(Start.AddTicks(10), e.Timestamp); // 1,234 ns, kept to the microsecond
        Assert.Null(e.Status);
        Assert.Empty(e.ShapeErrors);
        Assert.Equal("chat", e.Tags!["gen_ai.operation.name"]);
    }

    [Fact]
    public void The_older_names_are_read_when_the_current_ones_are_absent()
    {
        var e = GenAiSpanMapper.Map(Span(new()
        {
            ["gen_ai.request.model"] = "claude-3-5-haiku-20241022",
            ["gen_ai.system"] = "anthropic",
            ["gen_ai.usage.prompt_tokens"] = 40.0,
            ["gen_ai.usage.completion_tokens"] = "7",
        }))!;

        Assert.Equal("claude-3-5-haiku-20241022", e.Model);
        Assert.Equal("anthropic", e.Provider);
        Assert.Equal((40L, 7L), (e.PromptTokens, e.CompletionTokens));
    }

    [Fact]
    public void The_span_id_gives_a_stable_event_id()
    {
        var attributes = new Dictionary<string, object?> { ["gen_ai.request.model"] = "gpt-4o" };
        var first = GenAiSpanMapper.Map(Span(attributes))!.EventId;
        var again = GenAiSpanMapper.Map(Span(attributes))!.EventId;
        var other = GenAiSpanMapper.Map(Span(attributes, spanId: Convert.FromHexString("eee19b7ec3c1b175")))!.EventId;

        Assert.NotNull(first);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(5, first!.Value.Version);
    }

    [Fact]
    public void An_error_status_or_error_type_makes_an_error_event_with_a_message()
    {
        var byStatus = GenAiSpanMapper.Map(Span(new() { ["gen_ai.request.model"] = "gpt-4o" }, OtlpStatusCode.Error, "rate limited"))!;
        var byType = GenAiSpanMapper.Map(Span(new() { ["gen_ai.request.model"] = "gpt-4o", ["error.type"] = "timeout" }))!;
        var byException = GenAiSpanMapper.Map(Span(new() { ["gen_ai.request.model"] = "gpt-4o", ["error.type"] = "System.Net.Http.HttpRequestException" },
            OtlpStatusCode.Error, events: [new OtlpSpanEvent("exception", new Dictionary<string, object?>
            {
                ["exception.type"] = "System.Net.Http.HttpRequestException",
                ["exception.message"] = "Connection refused",
            })]))!;

        Assert.Equal(("error", "rate limited"), (byStatus.Status, byStatus.ErrorMessage));
        Assert.Equal(("error", "timeout"), (byType.Status, byType.ErrorMessage));
        Assert.Equal("System.Net.Http.HttpRequestException: Connection refused", byException.ErrorMessage);
    }

    [Fact]
    public void Service_name_user_and_llm_monitor_tag_attributes_become_tags()
    {
        var e = GenAiSpanMapper.Map(Span(
            new()
            {
                ["gen_ai.request.model"] = "gpt-4o",
                ["user.id"] = "u-7",
                ["llm_monitor.tag.feature"] = "search",
                ["llm_monitor.tag.team"] = "growth",
                ["gen_ai.conversation.id"] = "conv-1",
            },
            resource: new() { ["service.name"] = "shop", ["deployment.environment.name"] = "prod", ["llm_monitor.tag.team"] = "core" }))!;

        Assert.Equal(new Dictionary<string, string>
        {
            ["service.name"] = "shop",
            ["deployment.environment"] = "prod",
            ["gen_ai.conversation.id"] = "conv-1",
            ["user_id"] = "u-7",
            ["feature"] = "search",
            ["team"] = "growth",
        }, e.Tags);
    }

    [Fact]
    public void Spans_that_are_not_model_calls_are_ignored()
    {
        Assert.Null(GenAiSpanMapper.Map(Span(new() { ["http.request.method"] = "GET" })));
        Assert.Null(GenAiSpanMapper.Map(Span(new() { ["gen_ai.operation.name"] = "execute_tool", ["gen_ai.tool.name"] = "search" })));
        Assert.Null(GenAiSpanMapper.Map(Span(new() { ["gen_ai.operation.name"] = "invoke_agent", ["gen_ai.request.model"] = "gpt-4o" })));
    }

    [Fact]
    public void A_GenAI_span_without_a_model_or_with_bad_counts_is_refused_by_the_validator_with_reasons()
    {
        var validator = new EventValidator(TimeProvider.System, 30);
        var noModel = GenAiSpanMapper.Map(Span(new() { ["gen_ai.system"] = "openai" }))!;
        var badCount = GenAiSpanMapper.Map(Span(new() { ["gen_ai.request.model"] = "gpt-4o", ["gen_ai.usage.input_tokens"] = "many" }))!;

        var noModelErrors = validator.Validate(noModel, DateTimeOffset.UtcNow).Errors;
        var badCountErrors = validator.Validate(badCount, DateTimeOffset.UtcNow).Errors;

        Assert.Contains("gen_ai.request.model", noModelErrors["model"][0]);
        Assert.Equal("gen_ai.usage.input_tokens must be an integer", badCountErrors["prompt_tokens"][0]);
    }

    [Fact]
    public void Cache_reads_beyond_input_tokens_are_taken_as_Anthropic_style_usage()
    {
        var e = GenAiSpanMapper.Map(Span(new()
        {
            ["gen_ai.request.model"] = "claude-sonnet-4",
            ["gen_ai.usage.input_tokens"] = 300L,
            ["gen_ai.usage.cache_read.input_tokens"] = 1800L,
        }))!;

        Assert.Equal((2100L, 1800L), (e.PromptTokens, e.CachedTokens));
    }

    [Fact]
    public void Cache_reads_and_writes_beyond_input_tokens_are_taken_as_Anthropic_style_usage()
    {
        var e = GenAiSpanMapper.Map(Span(new()
        {
            ["gen_ai.request.model"] = "claude-sonnet-4",
            ["gen_ai.usage.input_tokens"] = 300L,
            ["gen_ai.usage.cache_read.input_tokens"] = 1800L,
            ["gen_ai.usage.cache_write.input_tokens"] = 500L,
        }))!;

        Assert.Equal((2600L, 1800L, 500L), (e.PromptTokens, e.CachedTokens, e.CacheWriteTokens));
    }

    [Fact]
    public void Cache_writes_and_reasoning_tokens_are_read_current_names_first()
    {
        var current = GenAiSpanMapper.Map(Span(new()
        {
            ["gen_ai.request.model"] = "claude-sonnet-4",
            ["gen_ai.usage.input_tokens"] = 3000L,
            ["gen_ai.usage.output_tokens"] = 900L,
            ["gen_ai.usage.cache_write.input_tokens"] = 1200L,
            ["gen_ai.usage.cache_creation.input_tokens"] = 7L,
            ["gen_ai.usage.reasoning.output_tokens"] = 400L,
        }))!;
        var older = GenAiSpanMapper.Map(Span(new()
        {
            ["gen_ai.request.model"] = "claude-sonnet-4",
            ["gen_ai.usage.input_tokens"] = 3000L,
            ["gen_ai.usage.cache_creation.input_tokens"] = 1100L,
        }))!;

        Assert.Equal((3000L, 1200L, 400L), (current.PromptTokens, current.CacheWriteTokens, current.ReasoningTokens));
        Assert.Equal(1100L, older.CacheWriteTokens);
        Assert.Null(older.ReasoningTokens);
    }

    [Fact]
    public void Reasoning_tokens_that_are_not_a_number_are_refused_naming_the_attribute()
    {
        var e = GenAiSpanMapper.Map(Span(new() { ["gen_ai.request.model"] = "o3", ["gen_ai.usage.reasoning.output_tokens"] = "lots" }))!;

        Assert.Equal(["gen_ai.usage.reasoning.output_tokens must be an integer"], e.ShapeErrors["reasoning_tokens"]);
    }

    [Fact]
    public void The_span_gives_trace_span_and_parent_ids_as_hex_and_the_conversation_and_user_their_fields()
    {
        var e = GenAiSpanMapper.Map(Span(new()
        {
            ["gen_ai.request.model"] = "gpt-4o",
            ["gen_ai.conversation.id"] = "conv-1",
            ["enduser.id"] = "older-user",
            ["user.id"] = "u-7",
        }, parentSpanId: ParentSpanId))!;

        Assert.Equal(("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174", "0af7651916cd43dd"), (e.TraceId, e.SpanId, e.ParentSpanId));
        Assert.Equal(("conv-1", "u-7"), (e.SessionId, e.UserId));
        Assert.Equal("older-user", GenAiSpanMapper.Map(Span(new() { ["gen_ai.request.model"] = "gpt-4o", ["enduser.id"] = "older-user" }))!.UserId);
    }

    [Fact]
    public void A_root_span_has_no_parent_and_an_overlong_conversation_id_is_left_out_rather_than_losing_the_call()
    {
        var validator = new EventValidator(TimeProvider.System, 30);
        var root = GenAiSpanMapper.Map(Span(new() { ["gen_ai.request.model"] = "gpt-4o", ["gen_ai.conversation.id"] = new string('c', 201) }))!;
        var zeros = GenAiSpanMapper.Map(Span(new() { ["gen_ai.request.model"] = "gpt-4o" }, parentSpanId: new byte[8]))!;

        Assert.Null(root.ParentSpanId);
        Assert.Null(root.SessionId);
        Assert.Null(zeros.ParentSpanId);
        Assert.True(validator.Validate(root, DateTimeOffset.UtcNow).IsValid);
        Assert.Equal(new string('c', 201), root.Tags!["gen_ai.conversation.id"]);
    }

    [Fact]
    public void Prompt_and_completion_content_are_kept_and_cut_to_64_KiB()
    {
        var e = GenAiSpanMapper.Map(Span(new()
        {
            ["gen_ai.request.model"] = "gpt-4o",
            ["gen_ai.input.messages"] = new List<object?> { new Dictionary<string, object?> { ["role"] = "user", ["content"] = "hi" } },
            ["gen_ai.completion"] = new string('é', 40_000),
        }))!;

        Assert.Equal("""[{"role":"user","content":"hi"}]""", e.Input);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(e.Output!) <= 64 * 1024);
        Assert.True(e.Output!.Length > 30_000);
    }
}
