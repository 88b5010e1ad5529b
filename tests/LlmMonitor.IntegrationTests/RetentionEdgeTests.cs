using System.Net;
using LlmMonitor.IntegrationTests.Infrastructure;

namespace LlmMonitor.IntegrationTests;

/// <summary>An event answered 202 is stored, even when the window's old edge has passed it before a writer reads it.</summary>
public sealed class RetentionEdgeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public Task An_event_accepted_just_inside_the_retention_window_is_stored_after_the_edge_has_moved_past_it() => StackFixture.WithFreshAsync(async stack =>
    {
        await stack.Gateway.StartAsync();
        var model = TestEvents.UniqueModel();
        // The services run with the default RETENTION_DAYS of 30.
        var timestamp = DateTimeOffset.UtcNow.AddDays(-30).AddSeconds(3);
        var ev = TestEvents.Event(model);
        ev["timestamp"] = timestamp.ToString("O");

        Assert.Equal(HttpStatusCode.Accepted, (await stack.GatewayClient.PostAsync("/api/events", TestEvents.Json(ev))).StatusCode);

        // The writer starts once the event has left the window as it is now.
        var outside = timestamp.AddDays(30) + TimeSpan.FromSeconds(1) - DateTimeOffset.UtcNow;
        if (outside > TimeSpan.Zero)
        {
            await Task.Delay(outside);
        }

        await stack.Writer.StartAsync();

        Assert.Equal(1, await stack.WaitForCountAsync(1, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
    });
}
