using System.Text.Json.Nodes;
using Anthropic.Models.Messages;
using LlmMonitor.Client.Http;
using LlmMonitor.Client.Tests.Fakes;

namespace LlmMonitor.Client.Tests;

/// <summary>The handler under the official Anthropic .NET client, against a loopback server with Anthropic's payloads.</summary>
public sealed class AnthropicHandlerTests : IAsyncLifetime
{
    private readonly CapturingGateway _gateway = new();
    private FakeProviderServer _server = null!;
    private LlmMonitorClient _monitor = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeProviderServer.StartAsync();
        _monitor = _gateway.Client(o => o.CaptureContent = true);
    }

    public async Task DisposeAsync()
    {
        await _monitor.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static MessageCreateParams Ask(string model) => new()
    {
        Model = model,
        MaxTokens = 1024,
        Messages = [new UserMessageParam("Summarise the ticket.")],
    };

    [Fact]
    public async Task A_message_is_recorded_with_cache_reads_counted_in_the_prompt()
    {
        var client = ProviderClients.Anthropic(_server, _monitor);

        var message = await client.Messages.Create(Ask("claude-sonnet-4-20250514"));

        Assert.Equal(503, message.Usage.OutputTokens);
        var e = await SingleEventAsync();
        Assert.Equal("claude-sonnet-4-20250514", (string)e["model"]!);
        Assert.Equal("anthropic", (string)e["provider"]!);
        // input_tokens (300) leaves the cache reads (1800) out; the event's prompt counts them.
        Assert.Equal((2100, 503, 1800, 0), ((int)e["prompt_tokens"]!, (int)e["completion_tokens"]!, (int)e["cached_tokens"]!, (int)e["cache_write_tokens"]!));
        Assert.Null(e["reasoning_tokens"]);
        Assert.Equal("Here is the summary you asked for.", (string)e["output"]!);
    }

    [Fact]
    public async Task A_streamed_message_is_recorded_with_the_usage_of_message_start_and_message_delta()
    {
        var client = ProviderClients.Anthropic(_server, _monitor);

        var text = "";
        await foreach (var ev in client.Messages.CreateStreaming(Ask("claude-3-5-haiku-latest")))
        {
            if (ev.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var t))
            {
                text += t.Text;
            }
        }

        Assert.Equal("Hello, world.", text);
        var e = await SingleEventAsync();
        Assert.Equal("claude-3-5-haiku-20241022", (string)e["model"]!);
        // 25 input + 100 cache reads + 40 cache writes; output from message_delta.
        Assert.Equal((165, 15, 100, 40), ((int)e["prompt_tokens"]!, (int)e["completion_tokens"]!, (int)e["cached_tokens"]!, (int)e["cache_write_tokens"]!));
        Assert.Equal("Hello, world.", (string)e["output"]!);
    }

    [Fact]
    public async Task A_message_with_thinking_and_a_cache_write_is_recorded_with_both_told_apart()
    {
        var client = ProviderClients.Anthropic(_server, _monitor);

        var message = await client.Messages.Create(Ask("claude-opus-4-20250514"));

        Assert.Equal(1500, message.Usage.CacheCreationInputTokens);
        var e = await SingleEventAsync();
        // 40 input + 2,048 cache reads + 1,500 cache writes; the 850 thinking tokens are part of the 1,200 output tokens.
        Assert.Equal((3588, 1200), ((int)e["prompt_tokens"]!, (int)e["completion_tokens"]!));
        Assert.Equal((2048, 1500, 850), ((int)e["cached_tokens"]!, (int)e["cache_write_tokens"]!, (int)e["reasoning_tokens"]!));
        Assert.Equal("Clause 7 conflicts with clause 12.", (string)e["output"]!);
    }

    [Fact]
    public async Task A_streamed_message_with_thinking_and_a_cache_write_is_recorded_from_message_start_and_message_delta()
    {
        var client = ProviderClients.Anthropic(_server, _monitor);

        await foreach (var _ in client.Messages.CreateStreaming(Ask("claude-opus-4-20250514")))
        {
        }

        var e = await SingleEventAsync();
        Assert.Equal("claude-opus-4-20250514", (string)e["model"]!);
        Assert.Equal((3588, 1200), ((int)e["prompt_tokens"]!, (int)e["completion_tokens"]!));
        Assert.Equal((2048, 1500, 850), ((int)e["cached_tokens"]!, (int)e["cache_write_tokens"]!, (int)e["reasoning_tokens"]!));
        Assert.Equal("Clause 7 conflicts with clause 12.", (string)e["output"]!);
    }

    [Fact]
    public async Task An_overloaded_answer_is_recorded_as_an_error()
    {
        var client = ProviderClients.Anthropic(_server, _monitor);

        await Assert.ThrowsAnyAsync<Exception>(() => client.Messages.Create(Ask("fail-claude-opus-4")));

        var e = await SingleEventAsync();
        Assert.Equal("error", (string)e["status"]!);
        Assert.Equal("HTTP 529 overloaded_error: Overloaded", (string)e["error_message"]!);
    }

    [Fact]
    public async Task The_handler_also_works_as_one_of_the_clients_Handlers()
    {
        var client = new Anthropic.AnthropicClient
        {
            ApiKey = "sk-ant-test",
            BaseUrl = _server.BaseAddress.ToString().TrimEnd('/'),
            Handlers = [new LlmMonitorHandler(_monitor)],
            MaxRetries = 0,
        };

        await client.Messages.Create(Ask("claude-sonnet-4-20250514"));

        Assert.Equal(2100, (int)(await SingleEventAsync())["prompt_tokens"]!);
    }

    private async Task<JsonObject> SingleEventAsync()
    {
        Assert.True(await _monitor.FlushAsync(TimeSpan.FromSeconds(10)));
        return Assert.Single(_gateway.Events);
    }
}
