using System.Text.Json.Nodes;
using Anthropic.Models.Messages;
using LlmMonitor.Client.Tests.Fakes;
using OpenAI.Chat;
using OpenAI.Responses;

namespace LlmMonitor.Client.Tests;

/// <summary>
/// Usage that TrackAsync reads from the official clients' results, and that <see cref="TrackedCall.ReadUsage"/> reads
/// from their streamed updates: cache writes and reasoning tokens, from the providers' recorded bodies.
/// </summary>
public sealed class TrackedUsageTests : IAsyncLifetime
{
    private readonly CapturingGateway _gateway = new();
    private FakeProviderServer _server = null!;
    private LlmMonitorClient _monitor = null!;

    // The provider clients record into a monitor of their own, so that only TrackAsync records into _monitor.
    private LlmMonitorClient _quiet = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeProviderServer.StartAsync();
        _monitor = _gateway.Client();
        _quiet = new CapturingGateway().Client();
    }

    public async Task DisposeAsync()
    {
        await _monitor.DisposeAsync();
        await _quiet.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static MessageCreateParams Ask(string model) => new()
    {
        Model = model,
        MaxTokens = 1024,
        Messages = [new UserMessageParam("Check the contract.")],
    };

    [Fact]
    public async Task Reasoning_tokens_are_read_from_a_chat_completion_and_a_response()
    {
        var chat = ProviderClients.Chat(_server, _quiet, "o3");
        var responses = ProviderClients.Responses(_server, _quiet);

        await _monitor.TrackAsync("o3", () => chat.CompleteChatAsync([new UserChatMessage("Find the bug.")]));
        await _monitor.TrackAsync("o3", async () => (await responses.CreateResponseAsync("o3", "Plan the work.")).Value);

        var events = await EventsAsync(2);
        Assert.Equal((1842, 1536, 1024, 1216), Tokens(events[0]));
        Assert.Equal((2048, 900, 1536, 640), Tokens(events[1]));
        Assert.All(events, e => Assert.Null(e["cache_write_tokens"]));
    }

    [Fact]
    public async Task Cache_writes_and_thinking_tokens_are_read_from_an_Anthropic_message()
    {
        var anthropic = ProviderClients.Anthropic(_server, _quiet);

        await _monitor.TrackAsync("claude-opus-4", () => anthropic.Messages.Create(Ask("claude-opus-4-20250514")));

        var e = Assert.Single(await EventsAsync(1));
        Assert.Equal("claude-opus-4-20250514", (string)e["model"]!);
        Assert.Equal((3588, 1200, 2048, 850), Tokens(e));
        Assert.Equal(1500, (int)e["cache_write_tokens"]!);
    }

    [Fact]
    public async Task A_streamed_chat_completions_usage_is_read_from_its_last_update()
    {
        var chat = ProviderClients.Chat(_server, _quiet, "o3-mini");

        var text = await _monitor.TrackAsync("o3-mini", async call =>
        {
            var answer = "";
            await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Hi")]))
            {
                call.ReadUsage(update);
                answer += string.Concat(update.ContentUpdate.Select(p => p.Text));
            }

            return answer;
        });

        Assert.Equal("Use a queue.", text);
        var e = Assert.Single(await EventsAsync(1));
        Assert.Equal(("o3-mini-2025-01-31", "openai"), ((string)e["model"]!, (string)e["provider"]!));
        Assert.Equal((911, 1088, 0, 704), Tokens(e));
    }

    [Fact]
    public async Task A_streamed_responses_usage_is_read_from_response_completed()
    {
        var responses = ProviderClients.Responses(_server, _quiet);

        await _monitor.TrackAsync("gpt-4.1-mini", async call =>
        {
            await foreach (var update in await responses.CreateResponseStreamingAsync("gpt-4.1-mini", "Stream please."))
            {
                call.ReadUsage(update);
            }
        });

        var e = Assert.Single(await EventsAsync(1));
        Assert.Equal("gpt-4.1-mini-2025-04-14", (string)e["model"]!);
        Assert.Equal((2048, 128, 1536, 0), Tokens(e));
    }

    [Theory]
    [InlineData("claude-3-5-haiku-latest", "claude-3-5-haiku-20241022", 165, 15, 100, 40, null)]
    [InlineData("claude-opus-4-20250514", "claude-opus-4-20250514", 3588, 1200, 2048, 1500, 850)]
    public async Task A_streamed_Anthropic_messages_usage_is_read_from_message_start_and_message_delta(
        string requested, string model, int prompt, int completion, int cached, int cacheWrites, int? reasoning)
    {
        var anthropic = ProviderClients.Anthropic(_server, _quiet);

        await _monitor.TrackAsync(requested, async call =>
        {
            await foreach (var ev in anthropic.Messages.CreateStreaming(Ask(requested)))
            {
                call.ReadUsage(ev);
            }
        });

        var e = Assert.Single(await EventsAsync(1));
        Assert.Equal((model, "anthropic"), ((string)e["model"]!, (string)e["provider"]!));
        Assert.Equal((prompt, completion, cached, cacheWrites), ((int)e["prompt_tokens"]!, (int)e["completion_tokens"]!, (int)e["cached_tokens"]!, (int)e["cache_write_tokens"]!));
        Assert.Equal(reasoning, (int?)e["reasoning_tokens"]);
    }

    [Fact]
    public async Task Usage_set_on_the_call_wins_over_the_result_and_ReadUsage_ignores_what_it_does_not_know()
    {
        var chat = ProviderClients.Chat(_server, _quiet, "o3");

        await _monitor.TrackAsync("o3", async call =>
        {
            call.ReadUsage("not a response");
            call.ReadUsage(null);
            call.SetUsage(promptTokens: 10, completionTokens: 5, cachedTokens: 2, cacheWriteTokens: 3, reasoningTokens: 4);
            return await chat.CompleteChatAsync([new UserChatMessage("Hi")]);
        });

        var e = Assert.Single(await EventsAsync(1));
        Assert.Equal("o3-2025-04-16", (string)e["model"]!);
        Assert.Equal((10, 5, 2, 4), Tokens(e));
        Assert.Equal(3, (int)e["cache_write_tokens"]!);
    }

    private static (int Prompt, int Completion, int Cached, int Reasoning) Tokens(JsonObject e) =>
        ((int)e["prompt_tokens"]!, (int)e["completion_tokens"]!, (int)e["cached_tokens"]!, (int)e["reasoning_tokens"]!);

    private async Task<List<JsonObject>> EventsAsync(int count)
    {
        Assert.True(await _monitor.FlushAsync(TimeSpan.FromSeconds(10)));
        var events = _gateway.Events.OrderBy(e => (string)e["timestamp"]!).ToList();
        Assert.Equal(count, events.Count);
        return events;
    }
}
