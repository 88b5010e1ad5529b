using System.ClientModel;
using System.Text.Json.Nodes;
using LlmMonitor.Client.Tests.Fakes;
using OpenAI.Chat;
using OpenAI.Responses;

namespace LlmMonitor.Client.Tests;

/// <summary>The handler under the official OpenAI .NET client, against a loopback server with OpenAI's payloads.</summary>
public sealed class OpenAiHandlerTests : IAsyncLifetime
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

    [Fact]
    public async Task A_chat_completion_is_recorded_with_model_tokens_cached_tokens_and_latency()
    {
        var chat = ProviderClients.Chat(_server, _monitor, "gpt-4o");

        using (LlmMonitorScope.WithTags(new Dictionary<string, string> { ["feature"] = "support", ["user_id"] = "u-1" }))
        {
            ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Where is my order?")]);
            Assert.Equal("Your order ships tomorrow.", completion.Content[0].Text);
        }

        var e = await SingleEventAsync();
        Assert.Equal("gpt-4o-2024-08-06", (string)e["model"]!);
        Assert.Equal("openai", (string)e["provider"]!);
        Assert.Equal(1200, (int)e["prompt_tokens"]!);
        Assert.Equal(350, (int)e["completion_tokens"]!);
        Assert.Equal(1024, (int)e["cached_tokens"]!);
        Assert.Equal(0, (int)e["reasoning_tokens"]!);
        Assert.Null(e["cache_write_tokens"]);
        Assert.Equal("success", (string)e["status"]!);
        Assert.True((double)e["latency_ms"]! > 0);
        Assert.Equal("support", (string)e["tags"]!["feature"]!);
        Assert.Contains("Where is my order?", (string)e["input"]!);
        Assert.Equal("Your order ships tomorrow.", (string)e["output"]!);
    }

    [Fact]
    public async Task A_streamed_chat_completion_passes_through_and_is_recorded_with_the_final_chunks_usage()
    {
        var chat = ProviderClients.Chat(_server, _monitor, "gpt-4o-mini");

        var text = "";
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Hi")]))
        {
            text += string.Concat(update.ContentUpdate.Select(p => p.Text));
        }

        Assert.Equal("Your order ships tomorrow.", text);
        Assert.Equal(true, (bool?)_server.Requests.Single()["stream"]);
        var e = await SingleEventAsync();
        Assert.Equal("gpt-4o-mini-2024-07-18", (string)e["model"]!);
        Assert.Equal((812, 96, 512), ((int)e["prompt_tokens"]!, (int)e["completion_tokens"]!, (int)e["cached_tokens"]!));
        Assert.Equal("Your order ships tomorrow.", (string)e["output"]!);
    }

    [Fact]
    public async Task A_reasoning_models_chat_completion_is_recorded_with_its_reasoning_tokens()
    {
        var chat = ProviderClients.Chat(_server, _monitor, "o3");

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Find the bug.")]);

        Assert.Equal(1216, completion.Usage.OutputTokenDetails.ReasoningTokenCount);
        var e = await SingleEventAsync();
        Assert.Equal("o3-2025-04-16", (string)e["model"]!);
        Assert.Equal((1842, 1536, 1024, 1216), ((int)e["prompt_tokens"]!, (int)e["completion_tokens"]!, (int)e["cached_tokens"]!, (int)e["reasoning_tokens"]!));
    }

    [Fact]
    public async Task A_reasoning_models_stream_is_recorded_with_the_reasoning_tokens_of_its_last_chunk()
    {
        var chat = ProviderClients.Chat(_server, _monitor, "o3-mini");

        var text = "";
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Hi")]))
        {
            text += string.Concat(update.ContentUpdate.Select(p => p.Text));
        }

        Assert.Equal("Use a queue.", text);
        var e = await SingleEventAsync();
        Assert.Equal("o3-mini-2025-01-31", (string)e["model"]!);
        Assert.Equal((911, 1088, 0, 704), ((int)e["prompt_tokens"]!, (int)e["completion_tokens"]!, (int)e["cached_tokens"]!, (int)e["reasoning_tokens"]!));
    }

    [Fact]
    public async Task A_Responses_call_is_recorded()
    {
        var responses = ProviderClients.Responses(_server, _monitor);

        ResponseResult response = await responses.CreateResponseAsync("gpt-4.1", "Explain caching in one line.");

        Assert.Equal("A short answer.", response.GetOutputText());
        var e = await SingleEventAsync();
        Assert.Equal("gpt-4.1-2025-04-14", (string)e["model"]!);
        Assert.Equal((2048, 128, 1536), ((int)e["prompt_tokens"]!, (int)e["completion_tokens"]!, (int)e["cached_tokens"]!));
    }

    [Fact]
    public async Task A_reasoning_models_Responses_call_is_recorded_with_its_reasoning_tokens()
    {
        var responses = ProviderClients.Responses(_server, _monitor);

        ResponseResult response = await responses.CreateResponseAsync("o3", "How should the workers share jobs?");

        Assert.Equal("Use a queue.", response.GetOutputText());
        var e = await SingleEventAsync();
        Assert.Equal("o3-2025-04-16", (string)e["model"]!);
        Assert.Equal((2048, 900, 1536, 640), ((int)e["prompt_tokens"]!, (int)e["completion_tokens"]!, (int)e["cached_tokens"]!, (int)e["reasoning_tokens"]!));
    }

    [Fact]
    public async Task A_streamed_Responses_call_is_recorded_with_the_usage_of_response_completed()
    {
        var responses = ProviderClients.Responses(_server, _monitor);

        var text = "";
        await foreach (var update in await responses.CreateResponseStreamingAsync("gpt-4.1-mini", "Stream please."))
        {
            if (update is StreamingResponseOutputTextDeltaUpdate delta)
            {
                text += delta.Delta;
            }
        }

        Assert.Equal("Streamed answer.", text);
        var e = await SingleEventAsync();
        Assert.Equal("gpt-4.1-mini-2025-04-14", (string)e["model"]!);
        Assert.Equal((2048, 128, 1536), ((int)e["prompt_tokens"]!, (int)e["completion_tokens"]!, (int)e["cached_tokens"]!));
        Assert.Equal(0, (int)e["reasoning_tokens"]!);
        Assert.Equal("Streamed answer.", (string)e["output"]!);
    }

    [Fact]
    public async Task A_failed_call_is_recorded_as_an_error_and_the_client_still_sees_the_failure()
    {
        var chat = ProviderClients.Chat(_server, _monitor, "fail-gpt-4o");

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(429, failure.Status);
        var e = await SingleEventAsync();
        Assert.Equal("error", (string)e["status"]!);
        Assert.Equal("fail-gpt-4o", (string)e["model"]!);
        Assert.StartsWith("HTTP 429 tokens: Rate limit reached for gpt-4o", (string)e["error_message"]!);
    }

    [Fact]
    public async Task An_unreachable_provider_is_recorded_as_an_error()
    {
        var chat = new ChatClient("gpt-4o", new ApiKeyCredential("sk-test"), new OpenAI.OpenAIClientOptions
        {
            Endpoint = new Uri("http://127.0.0.1:9/v1"),
            Transport = new System.ClientModel.Primitives.HttpClientPipelineTransport(new HttpClient(_monitor.CreateHandler())),
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
        });

        await Assert.ThrowsAnyAsync<Exception>(() => chat.CompleteChatAsync([new UserChatMessage("Hi")]));

        var e = await SingleEventAsync();
        Assert.Equal("error", (string)e["status"]!);
        Assert.Contains("HttpRequestException", (string)e["error_message"]!);
    }

    [Fact]
    public async Task Requests_that_are_not_model_calls_are_not_recorded()
    {
        using var http = new HttpClient(_monitor.CreateHandler());

        var models = await http.GetStringAsync(new Uri(_server.BaseAddress, "v1/models"));

        Assert.Contains("list", models);
        Assert.True(await _monitor.FlushAsync());
        Assert.Empty(_gateway.Events);
    }

    private async Task<JsonObject> SingleEventAsync()
    {
        Assert.True(await _monitor.FlushAsync(TimeSpan.FromSeconds(10)));
        return Assert.Single(_gateway.Events);
    }
}
