using System.Net;
using LlmMonitor.Client.Tests.Fakes;

namespace LlmMonitor.Client.Tests;

public sealed class ClientRetryTests
{
    [Fact]
    public async Task A_batch_is_retried_with_the_same_event_ids_until_the_gateway_takes_it()
    {
        var gateway = new CapturingGateway();
        var ids = new List<string>();
        gateway.Answer = n => n switch
        {
            1 => throw new HttpRequestException("connection refused"),
            2 => CapturingGateway.Status(HttpStatusCode.ServiceUnavailable, TimeSpan.FromMilliseconds(10)),
            3 => CapturingGateway.Status(HttpStatusCode.TooManyRequests),
            _ => null,
        };
        await using var monitor = gateway.Client();
        var tracked = new LlmCallEvent { Model = "gpt-4o-mini", PromptTokens = 10 };

        monitor.Track(tracked);

        Assert.True(await monitor.FlushAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(4, gateway.Requests);
        Assert.Equal(tracked.EventId.ToString(), (string)Assert.Single(gateway.Events)["event_id"]!);
        Assert.Equal(new MonitorStats(1, 0, 0, 0, 0), monitor.Stats);
    }

    [Fact]
    public async Task An_answer_that_retrying_cannot_change_gives_the_batch_up()
    {
        var gateway = new CapturingGateway { Answer = _ => CapturingGateway.Status(HttpStatusCode.Unauthorized) };
        await using var monitor = gateway.Client();

        monitor.Track(new LlmCallEvent { Model = "gpt-4o" });
        monitor.Track(new LlmCallEvent { Model = "gpt-4o" });

        Assert.True(await monitor.FlushAsync());
        // One or two batches, depending on when the sender woke up, but no event was offered twice.
        Assert.Equal(2, gateway.OfferedSizes.Sum());
        Assert.Equal(2, monitor.Stats.Failed);
    }

    [Fact]
    public async Task A_gateway_that_stays_away_delays_dispose_at_most_the_shutdown_timeout()
    {
        var gateway = new CapturingGateway { Answer = _ => throw new HttpRequestException("connection refused") };
        var monitor = gateway.Client(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        monitor.Track(new LlmCallEvent { Model = "gpt-4o" });

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await monitor.DisposeAsync();

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        // How many tries fit in the second depends on the machine's load; retrying itself is proven above.
        Assert.True(gateway.Requests >= 1);
        Assert.Equal(1, monitor.Stats.Dropped);
    }
}
