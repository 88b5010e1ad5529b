using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmMonitor.Client.Tests.Fakes;

/// <summary>
/// OpenAI and Anthropic as far as the handler is concerned, on a loopback port: /v1/chat/completions,
/// /v1/responses and /v1/messages answer with real-shaped bodies, streamed as SSE when the request asks for it.
/// A model whose name starts with "fail" gets the provider's error (429 for OpenAI, 529 for Anthropic); an OpenAI
/// reasoning model ("o1…", "o3…") gets a reasoning model's answer, and "claude-opus…" one with thinking and cache writes.
/// </summary>
public sealed class FakeProviderServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeProviderServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public List<JsonObject> Requests { get; } = [];

    public static async Task<FakeProviderServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeProviderServer(app);
        app.MapPost("/v1/chat/completions", ctx => server.Answer(ctx, ChatAsync));
        app.MapPost("/v1/responses", ctx => server.Answer(ctx, ResponsesAsync));
        app.MapPost("/v1/messages", ctx => server.Answer(ctx, MessagesAsync));
        app.MapGet("/v1/models", ctx => ctx.Response.WriteAsync("""{"object":"list","data":[]}"""));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address + "/");
        return server;
    }

    private async Task Answer(HttpContext ctx, Func<HttpContext, JsonObject, Task> respond)
    {
        var request = JsonNode.Parse(await new StreamReader(ctx.Request.Body).ReadToEndAsync())!.AsObject();
        lock (Requests)
        {
            Requests.Add(request);
        }

        await respond(ctx, request);
    }

    private static Task ChatAsync(HttpContext ctx, JsonObject request)
    {
        if (Fails(request))
        {
            return Json(ctx, OpenAiPayloads.RateLimited, 429);
        }

        var reasons = Reasons(request);
        return Streams(request)
            ? Sse(ctx, (reasons ? OpenAiPayloads.ReasoningChatChunks : OpenAiPayloads.ChatChunks).Select(data => ((string?)null, data)))
            : Json(ctx, reasons ? OpenAiPayloads.ReasoningChatCompletion : OpenAiPayloads.ChatCompletion);
    }

    private static Task ResponsesAsync(HttpContext ctx, JsonObject request) =>
        Streams(request)
            ? Sse(ctx, OpenAiPayloads.ResponseEvents.Select(e => ((string?)e.Event, e.Data)))
            : Json(ctx, Reasons(request) ? OpenAiPayloads.ReasoningResponse : OpenAiPayloads.Response);

    private static Task MessagesAsync(HttpContext ctx, JsonObject request)
    {
        if (Fails(request))
        {
            return Json(ctx, AnthropicPayloads.Overloaded, 529);
        }

        var thinks = Model(request).StartsWith("claude-opus", StringComparison.Ordinal);
        return Streams(request)
            ? Sse(ctx, (thinks ? AnthropicPayloads.ThinkingStreamEvents : AnthropicPayloads.StreamEvents).Select(e => ((string?)e.Event, e.Data)))
            : Json(ctx, thinks ? AnthropicPayloads.ThinkingMessage : AnthropicPayloads.Message);
    }

    private static string Model(JsonObject request) => request["model"]?.GetValue<string>() ?? "";

    private static bool Fails(JsonObject request) => Model(request).StartsWith("fail", StringComparison.Ordinal);

    private static bool Reasons(JsonObject request) => Model(request) is ['o', '1' or '3', ..];

    private static bool Streams(JsonObject request) => request["stream"]?.GetValue<bool>() == true;

    private static async Task Json(HttpContext ctx, string body, int status = 200)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        ctx.Response.Headers["request-id"] = "req_test";
        await ctx.Response.WriteAsync(body);
    }

    private static async Task Sse(HttpContext ctx, IEnumerable<(string? Event, string Data)> events)
    {
        ctx.Response.ContentType = "text/event-stream; charset=utf-8";
        ctx.Response.Headers.CacheControl = "no-cache";
        foreach (var (name, data) in events)
        {
            var text = new StringBuilder();
            if (name is not null)
            {
                text.Append("event: ").Append(name).Append('\n');
            }

            text.Append("data: ").Append(data).Append("\n\n");
            await ctx.Response.WriteAsync(text.ToString());
            // Each event in its own network write, as a real stream arrives.
            await ctx.Response.Body.FlushAsync();
            await Task.Delay(5);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
