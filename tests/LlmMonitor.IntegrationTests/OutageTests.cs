using System.Net;
using LlmMonitor.IntegrationTests.Infrastructure;

namespace LlmMonitor.IntegrationTests;

/// <summary>Crashes and outages lose no accepted event and double-count none.</summary>
[Collection(StackCollection.Name)]
public sealed class OutageTests(StackFixture stack)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task With_the_broker_stopped_the_gateway_answers_503_with_Retry_After_and_accepts_again_once_it_is_back()
    {
        var model = TestEvents.UniqueModel();
        await stack.Servers.Control.StopBrokerAsync();
        HttpResponseMessage refused;
        try
        {
            refused = await stack.GatewayClient.PostAsync("/api/events", TestEvents.Json(TestEvents.Event(model)));
        }
        finally
        {
            await stack.Servers.Control.StartBrokerAsync();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);

        var accepted = await RetryUntilAcceptedAsync(model);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(1, await stack.WaitForCountAsync(1, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
    }

    [Fact]
    public async Task The_writer_killed_mid_stream_and_restarted_stores_every_accepted_event_exactly_once()
    {
        var model = TestEvents.UniqueModel();
        var accepted = 0;
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                var batch = TestEvents.Array(Enumerable.Range(0, 1000).Select(j => TestEvents.Event(model, promptTokens: j)));
                var response = await stack.GatewayClient.PostAsync("/api/events/batch", TestEvents.Json(batch));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                Interlocked.Add(ref accepted, 1000);
            }
        });

        await stack.WaitForCountAsync(5_000, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model);
        stack.Writer.Kill();
        await Task.Delay(1500);
        await stack.Writer.StartAsync();
        await sending;

        Assert.Equal(60_000, accepted);
        Assert.Equal(60_000, await stack.WaitForCountAsync(60_000, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
        await stack.SettleAsync();
        try
        {
            Assert.Equal(60_000, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE model = $1", model));
            Assert.Equal(60_000, await stack.CountAsync("SELECT sum(request_count) FROM llm_rollup_hourly WHERE model = $1", model));
            Assert.Equal(0, await ExactlyOnceTests.RollupDifferencesAsync(stack));
        }
        finally
        {
            await stack.ResumeAsync();
        }
    }

    [Fact]
    public async Task While_PostgreSQL_is_down_events_wait_in_the_queue_and_are_stored_when_it_returns()
    {
        var model = TestEvents.UniqueModel();
        await stack.Servers.Control.StopDatabaseAsync();
        try
        {
            var response = await stack.GatewayClient.PostAsync("/api/events/batch",
                TestEvents.Json(TestEvents.Array(Enumerable.Range(0, 100).Select(_ => TestEvents.Event(model)))));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await Task.Delay(3000);
        }
        finally
        {
            await stack.Servers.Control.StartDatabaseAsync();
        }

        Assert.Equal(100, await stack.WaitForCountAsync(100, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
        Assert.Equal(100, await stack.CountAsync("SELECT sum(request_count) FROM llm_rollup_hourly WHERE model = $1", model));
    }

    private async Task<HttpResponseMessage> RetryUntilAcceptedAsync(string model)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var response = await stack.GatewayClient.PostAsync("/api/events", TestEvents.Json(TestEvents.Event(model)));
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
            {
                return response;
            }

            await Task.Delay(500);
        }
    }
}
