using System.Net;
using LlmMonitor.IntegrationTests.Infrastructure;

namespace LlmMonitor.IntegrationTests;

[Collection(StackCollection.Name)]
public sealed class ApiKeyTests(StackFixture stack) : IAsyncLifetime
{
    private ServiceProcess _gateway = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _gateway = stack.NewService("ingest-gateway", "LlmMonitor.IngestGateway", new Dictionary<string, string> { ["INGEST_API_KEYS"] = "key-one, key-two" });
        await _gateway.StartAsync();
        _client = new HttpClient { BaseAddress = _gateway.BaseAddress };
    }

    [Theory]
    [InlineData(null, null, HttpStatusCode.Unauthorized)]
    [InlineData("Bearer wrong", null, HttpStatusCode.Unauthorized)]
    [InlineData(null, "wrong", HttpStatusCode.Unauthorized)]
    [InlineData("Bearer key-one", null, HttpStatusCode.Accepted)]
    [InlineData(null, "key-two", HttpStatusCode.Accepted)]
    public async Task Keys_are_required_when_INGEST_API_KEYS_is_set(string? authorization, string? apiKey, HttpStatusCode expected)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = TestEvents.Json(TestEvents.Event(TestEvents.UniqueModel())) };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }

        var response = await _client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
    }
}
