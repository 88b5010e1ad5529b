using LlmMonitor.WebUi.Live;
using LlmMonitor.WebUi.Queries;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmMonitor.WebUi.Tests;

/// <summary>
/// The feed's routing: frames of every call go to the streams that take every call, a tail's frames to that tail's
/// streams, stats to all; only streams of every call count as watched (the writers then send the calls' fields).
/// </summary>
public sealed class LiveFeedTests
{
    private static readonly LiveTail Unfiltered = new(25, new ConversationFilter());
    private static readonly LiveTail OneModel = new(25, new ConversationFilter(Model: "gpt-4o"));

    [Fact]
    public void Each_frame_goes_to_the_streams_it_is_for()
    {
        var feed = NewFeed();
        var every = feed.Subscribe()!;
        var dashboard = feed.Subscribe(new LiveTail(25, new ConversationFilter()))!;
        var filtered = feed.Subscribe(OneModel)!;

        feed.Publish("calls"u8.ToArray());
        feed.Publish(Unfiltered, "tail"u8.ToArray());
        feed.PublishStats("stats"u8.ToArray());

        Assert.Equal(["calls", "stats"], Frames(every));
        Assert.Equal(["tail", "stats"], Frames(dashboard));
        Assert.Equal(["stats"], Frames(filtered));
        Assert.Equal([Unfiltered, OneModel], feed.Tails);
    }

    [Fact]
    public void Only_streams_of_every_call_are_watched()
    {
        var feed = NewFeed();
        var dashboard = feed.Subscribe(Unfiltered)!;
        Assert.Equal(0, feed.EveryCallSubscribers);
        Assert.False(feed.WatchedChanged.TryRead(out _));

        var every = feed.Subscribe()!;
        Assert.True(feed.WatchedChanged.TryRead(out var watched) && watched);
        Assert.Equal(1, feed.EveryCallSubscribers);

        feed.Unsubscribe(dashboard);
        Assert.False(feed.WatchedChanged.TryRead(out _));
        feed.Unsubscribe(every);
        Assert.True(feed.WatchedChanged.TryRead(out watched) && !watched);
    }

    private static LiveFeed NewFeed()
    {
        var feed = new LiveFeed(TimeProvider.System, new Lifetime(), NullLogger<LiveFeed>.Instance);
        feed.SetListening(true);
        return feed;
    }

    private static string[] Frames(LiveFeed.Subscriber subscriber)
    {
        var frames = new List<string>();
        while (subscriber.Frames.TryRead(out var frame))
        {
            frames.Add(System.Text.Encoding.UTF8.GetString(frame.Span));
        }

        return [.. frames];
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
