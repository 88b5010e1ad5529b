using Anthropic.Models.Messages;
using LlmMonitor.Client.Tests.Fakes;
using OpenAI.Chat;

namespace LlmMonitor.Client.Tests;

public sealed class TrackAsyncTests
{
    [Fact]
    public async Task A_tracked_call_records_latency_usage_and_tags()
    {
        var gateway = new CapturingGateway();
        await using var monitor = gateway.Client();

        var answer = await monitor.TrackAsync("gpt-4o", async call =>
        {
            await Task.Delay(20);
            call.SetUsage(promptTokens: 900, completionTokens: 120, cachedTokens: 100);
            call.Tags["user_id"] = "u-42";
            return "done";
        }, new Dictionary<string, string> { ["feature"] = "summary" });

        Assert.Equal("done", answer);
        Assert.True(await monitor.FlushAsync());
        var e = Assert.Single(gateway.Events);
        Assert.Equal("gpt-4o", (string)e["model"]!);
        Assert.Equal(900, (int)e["prompt_tokens"]!);
        Assert.Equal(120, (int)e["completion_tokens"]!);
        Assert.Equal(100, (int)e["cached_tokens"]!);
        Assert.Equal("success", (string)e["status"]!);
        Assert.True((double)e["latency_ms"]! >= 15);
        Assert.Equal("summary", (string)e["tags"]!["feature"]!);
        Assert.Equal("u-42", (string)e["tags"]!["user_id"]!);
    }

    [Fact]
    public async Task A_failing_call_is_recorded_as_an_error_and_its_exception_rethrown()
    {
        var gateway = new CapturingGateway();
        await using var monitor = gateway.Client();
        var thrown = new TimeoutException("the model took too long");

        var caught = await Assert.ThrowsAsync<TimeoutException>(() => monitor.TrackAsync<string>("claude-sonnet-4", _ => throw thrown));

        Assert.Same(thrown, caught);
        Assert.True(await monitor.FlushAsync());
        var e = Assert.Single(gateway.Events);
        Assert.Equal("error", (string)e["status"]!);
        Assert.Equal("TimeoutException: the model took too long", (string)e["error_message"]!);
    }

    [Fact]
    public async Task Usage_and_model_are_read_from_OpenAI_and_Anthropic_results()
    {
        await using var server = await FakeProviderServer.StartAsync();
        var gateway = new CapturingGateway();
        await using var monitor = gateway.Client();
        // A separate monitor for the handler, so that only TrackAsync records into this one.
        await using var quiet = new CapturingGateway().Client();
        var chat = ProviderClients.Chat(server, quiet, "gpt-4o");
        var anthropic = ProviderClients.Anthropic(server, quiet);

        await monitor.TrackAsync("gpt-4o", () => chat.CompleteChatAsync([new UserChatMessage("Where is my order?")]));
        await monitor.TrackAsync("claude-sonnet-4", () => anthropic.Messages.Create(new MessageCreateParams
        {
            Model = "claude-sonnet-4-20250514",
            MaxTokens = 1024,
            Messages = [new UserMessageParam("Summarise this.")],
        }));

        Assert.True(await monitor.FlushAsync());
        var openAi = gateway.Events.Single(e => (string)e["provider"]! == "openai");
        Assert.Equal("gpt-4o-2024-08-06", (string)openAi["model"]!);
        Assert.Equal((1200, 350, 1024), ((int)openAi["prompt_tokens"]!, (int)openAi["completion_tokens"]!, (int)openAi["cached_tokens"]!));
        var claude = gateway.Events.Single(e => (string)e["provider"]! == "anthropic");
        Assert.Equal("claude-sonnet-4-20250514", (string)claude["model"]!);
        Assert.Equal((2100, 503, 1800), ((int)claude["prompt_tokens"]!, (int)claude["completion_tokens"]!, (int)claude["cached_tokens"]!));
    }
}
