using LlmMonitor.Client;
using LlmMonitor.Client.Tests.Fakes;
using LlmMonitor.IntegrationTests.Infrastructure;
using OpenAI.Chat;

namespace LlmMonitor.WaysIn.Tests;

/// <summary>The .NET SDK against the real gateway and writer: what an application records shows up priced.</summary>
[Collection(WaysInStack.Name)]
public sealed class DotNetSdkTests(StackFixture stack)
{
    [Fact]
    public async Task Tracked_events_and_wrapped_calls_are_stored_with_tokens_and_cost()
    {
        var options = new LlmMonitorOptions { GatewayUrl = stack.Gateway.BaseAddress };
        options.DefaultTags["service"] = "dotnet-sdk-test";
        var monitor = new LlmMonitorClient(options);
        var tracked = new LlmCallEvent
        {
            Model = "gpt-4o-2024-08-06",
            PromptTokens = 1000,
            CompletionTokens = 500,
            CachedTokens = 200,
            LatencyMs = 812.5,
            Tags = new() { ["user_id"] = "u-1", ["feature"] = "chat" },
        };
        monitor.Track(tracked);
        await monitor.TrackAsync("claude-sonnet-4-20250514", call =>
        {
            call.SetUsage(promptTokens: 2100, completionTokens: 503, cachedTokens: 1800);
            return Task.FromResult("ok");
        });
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            monitor.TrackAsync<string>("gpt-4o-mini", _ => throw new InvalidOperationException("quota exceeded"), new Dictionary<string, string> { ["feature"] = "fail" }));

        await monitor.DisposeAsync();

        Assert.Equal(new MonitorStats(3, 0, 0, 0, 0), monitor.Stats);
        var row = await stack.RowAsync(tracked.EventId!.Value);
        Assert.Equal((1000, 500, 200, 812.5, 0.00725m), (row.PromptTokens, row.CompletionTokens, row.CachedTokens, row.LatencyMs, row.CostUsd));
        Assert.Contains("\"service\": \"dotnet-sdk-test\"", row.Tags);
        Assert.Equal(1, await stack.WaitForRowsAsync(1, "model = 'claude-sonnet-4-20250514' AND tags->>'service' = 'dotnet-sdk-test' AND cost_usd = 0.008985"));
        Assert.Equal(1, await stack.WaitForRowsAsync(1, "status = 'error' AND error_message = 'InvalidOperationException: quota exceeded' AND tags->>'service' = 'dotnet-sdk-test'"));
    }

    [Fact]
    public async Task Calls_through_the_handler_are_stored_with_the_providers_usage()
    {
        await using var provider = await FakeProviderServer.StartAsync();
        var feature = $"handler-{Guid.NewGuid():N}";
        await using (var monitor = new LlmMonitorClient(stack.Gateway.BaseAddress.ToString()))
        {
            var chat = ProviderClients.Chat(provider, monitor, "gpt-4o");
            var anthropic = ProviderClients.Anthropic(provider, monitor);
            using (LlmMonitorScope.WithTags(new Dictionary<string, string> { ["feature"] = feature }))
            {
                await chat.CompleteChatAsync([new UserChatMessage("Where is my order?")]);
                await foreach (var _ in chat.CompleteChatStreamingAsync([new UserChatMessage("Stream it.")]))
                {
                }

                await anthropic.Messages.Create(new Anthropic.Models.Messages.MessageCreateParams
                {
                    Model = "claude-sonnet-4-20250514",
                    MaxTokens = 1024,
                    Messages = [new Anthropic.Models.Messages.UserMessageParam("Summarise.")],
                });
            }
        }

        Assert.Equal(3, await stack.WaitForRowsAsync(3, "tags->>'feature' = $1", feature));
        // Cost = (prompt − cached) × input + cached × cached input + completion × output (USD per 1M tokens):
        // claude-sonnet-4 300 × 3 + 1800 × 0.30 + 503 × 15; gpt-4o 176 × 2.50 + 1024 × 1.25 + 350 × 10; gpt-4o-mini 300 × 0.15 + 512 × 0.075 + 96 × 0.60.
        await using var cmd = stack.Db.CreateCommand("SELECT model, prompt_tokens, completion_tokens, cached_tokens, cost_usd FROM llm_events WHERE tags->>'feature' = $1 ORDER BY model");
        cmd.Parameters.AddWithValue(feature);
        await using var rows = await cmd.ExecuteReaderAsync();
        var stored = new List<(string, int, int, int, decimal)>();
        while (await rows.ReadAsync())
        {
            stored.Add((rows.GetString(0), rows.GetInt32(1), rows.GetInt32(2), rows.GetInt32(3), rows.GetDecimal(4)));
        }

        Assert.Equal(
        [
            ("claude-sonnet-4-20250514", 2100, 503, 1800, 0.008985m),
            ("gpt-4o-2024-08-06", 1200, 350, 1024, 0.00522m),
            ("gpt-4o-mini-2024-07-18", 812, 96, 512, 0.000141m),
        ], stored);
    }
}
