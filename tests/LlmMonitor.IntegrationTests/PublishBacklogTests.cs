using System.Net;
using LlmMonitor.IntegrationTests.Infrastructure;

namespace LlmMonitor.IntegrationTests;

/// <summary>A full publish backlog refuses at once with 503 + Retry-After, and what it answered 202 is stored.</summary>
[Collection(StackCollection.Name)]
public sealed class PublishBacklogTests(StackFixture stack)
{
    [Fact]
    public async Task Requests_beyond_the_backlog_get_503_at_once_and_every_accepted_event_is_stored()
    {
        // A backlog of one byte: a request is refused whenever another one's events still wait for the broker.
        await using var gateway = stack.NewService("ingest-gateway", "LlmMonitor.IngestGateway",
            new Dictionary<string, string> { ["PublishBacklog__Bytes"] = "1" });
        await gateway.StartAsync();
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        var model = TestEvents.UniqueModel();

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => http.PostAsync("/api/events/batch",
            TestEvents.Json(TestEvents.Array(Enumerable.Range(0, 200).Select(i => TestEvents.Event(model, promptTokens: i)))))));

        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        var accepted = responses.Count(r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(40, refused.Count + accepted);
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.NotNull(r.Headers.RetryAfter));
        Assert.True(accepted > 0);
        Assert.Equal(accepted * 200, await stack.WaitForCountAsync(accepted * 200, TimeSpan.FromSeconds(30),
            "SELECT count(*) FROM llm_events WHERE model = $1", model));
        await stack.SettleAsync();
        try
        {
            Assert.Equal(accepted * 200, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE model = $1", model));
        }
        finally
        {
            await stack.ResumeAsync();
        }
    }
}
