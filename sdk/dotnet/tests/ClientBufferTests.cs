using System.Diagnostics;
using System.Net;
using LlmMonitor.Client.Tests.Fakes;

namespace LlmMonitor.Client.Tests;

public sealed class ClientBufferTests
{
    [Fact]
    public async Task Tracked_events_reach_the_gateway_in_batches_with_ids_and_timestamps()
    {
        var gateway = new CapturingGateway();
        await using var monitor = gateway.Client(o =>
        {
            o.BatchSize = 500;
            o.ApiKey = "k1";
            o.DefaultTags["service"] = "billing";
        });

        for (var i = 0; i < 1200; i++)
        {
            monitor.Track(new LlmCallEvent { Model = "gpt-4o", PromptTokens = i, CompletionTokens = 1, Tags = new() { ["n"] = i.ToString() } });
        }

        Assert.True(await monitor.FlushAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1200, gateway.Events.Count);
        Assert.All(gateway.BatchSizes, size => Assert.True(size <= 500));
        Assert.Equal(1200, gateway.Events.Select(e => (string)e["event_id"]!).Distinct().Count());
        Assert.All(gateway.Events, e => Assert.True(DateTimeOffset.Parse((string)e["timestamp"]!) > DateTimeOffset.UtcNow.AddMinutes(-1)));
        Assert.All(gateway.Events, e => Assert.Equal("billing", (string)e["tags"]!["service"]!));
        Assert.Equal("Bearer k1", gateway.Authorizations.First());
        Assert.Null(gateway.Events[0]["cost_usd"]);
        Assert.Equal(new MonitorStats(1200, 0, 0, 0, 0), monitor.Stats);
    }

    [Fact]
    public async Task Track_never_blocks_and_never_throws_even_when_the_gateway_hangs()
    {
        var gateway = new CapturingGateway { Hold = new TaskCompletionSource() };
        var monitor = gateway.Client(o =>
        {
            o.MaxBufferedEvents = 1000;
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(200);
            o.RequestTimeout = TimeSpan.FromMilliseconds(100);
        });

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 50_000; i++)
        {
            monitor.Track(new LlmCallEvent { Model = "gpt-4o" });
        }

        monitor.Track(null!);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"tracking took {clock.Elapsed}");
        Assert.False(await monitor.FlushAsync(TimeSpan.FromMilliseconds(200)));

        clock.Restart();
        await monitor.DisposeAsync();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"dispose took {clock.Elapsed}");
        monitor.Track(new LlmCallEvent { Model = "after-dispose" });
        Assert.Equal(50_001, monitor.Stats.Dropped);
        Assert.Equal(0, monitor.Stats.Pending);
    }

    [Fact]
    public async Task When_the_buffer_is_full_the_oldest_events_are_dropped_and_counted()
    {
        var gateway = new CapturingGateway();
        var down = true;
        gateway.Answer = _ => Volatile.Read(ref down) ? throw new HttpRequestException("connection refused") : null;
        await using var monitor = gateway.Client(o => o.MaxBufferedEvents = 100);

        for (var i = 0; i < 250; i++)
        {
            monitor.Track(new LlmCallEvent { Model = "gpt-4o", PromptTokens = i });
        }

        await Task.Delay(300);
        Assert.Equal(150, monitor.Stats.Dropped);
        Assert.Equal(100, monitor.Stats.Pending);

        Volatile.Write(ref down, false);
        Assert.True(await monitor.FlushAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(Enumerable.Range(150, 100).ToList(), gateway.Events.Select(e => (int)e["prompt_tokens"]!).Order().ToList());
        Assert.Equal(new MonitorStats(100, 150, 0, 0, 0), monitor.Stats);
    }

    [Fact]
    public async Task Disposing_sends_what_is_buffered()
    {
        var gateway = new CapturingGateway();
        var monitor = gateway.Client(o => o.FlushInterval = TimeSpan.FromMinutes(1));
        for (var i = 0; i < 10; i++)
        {
            monitor.Track(new LlmCallEvent { Model = "claude-sonnet-4" });
        }

        monitor.Dispose();

        Assert.Equal(10, gateway.Events.Count);
        Assert.Equal(10, monitor.Stats.Sent);
    }

    [Fact]
    public async Task Events_the_gateway_refuses_are_counted_not_retried()
    {
        var gateway = new CapturingGateway
        {
            Answer = _ => new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent("{\"title\":\"No event in the batch is valid\"}") },
        };
        var problems = new List<string>();
        await using var monitor = gateway.Client(o => o.Diagnostics = m =>
        {
            lock (problems)
            {
                problems.Add(m);
            }
        });

        monitor.Track(new LlmCallEvent { Model = "" });
        Assert.True(await monitor.FlushAsync());

        Assert.Equal(1, gateway.Requests);
        Assert.Equal(1, monitor.Stats.Rejected);
        Assert.Contains(problems, p => p.Contains("refused", StringComparison.Ordinal));
    }
}
