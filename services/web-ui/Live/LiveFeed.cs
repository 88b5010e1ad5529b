using System.Threading.Channels;

namespace LlmMonitor.WebUi.Live;

/// <summary>
/// The one source every open live view shares: frames are read and formatted once (<see cref="StoredCallsListener"/>,
/// <see cref="LiveStats"/>) and the same bytes are queued to each subscriber. A subscriber's queue is bounded: one that
/// falls <see cref="Backlog"/> frames behind is dropped (its stream ends) rather than slowing the others or holding
/// memory; the frames themselves are shared, so all queues together hold at most <see cref="Backlog"/> distinct frames.
/// A subscriber takes every call, or a <see cref="LiveTail"/>: the calls frames go to the first kind, each tail's frames
/// to the subscribers of that tail, stats to all.
/// </summary>
public sealed class LiveFeed
{
    public const int Backlog = 64;

    /// <summary>A stats frame younger than this is sent to a new subscriber at once instead of at the next tick.</summary>
    private static readonly TimeSpan FreshStats = TimeSpan.FromSeconds(6);

    private readonly Lock _lock = new();
    private readonly TimeProvider _clock;
    private readonly ILogger<LiveFeed> _log;
    private Subscriber[] _subscribers = [];

    // Holds at most one signal: the lease reads the current count when it wakes.
    private readonly Channel<bool> _watchedChanged = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
    private (ReadOnlyMemory<byte> Frame, DateTimeOffset At)? _stats;
    private bool _listening;
    private bool _stopping;

    public LiveFeed(TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<LiveFeed> log)
    {
        _clock = clock;
        _log = log;
        // Open streams would otherwise hold the graceful shutdown until its timeout.
        lifetime.ApplicationStopping.Register(() =>
        {
            lock (_lock)
            {
                _stopping = true;
            }

            EndAll("the web-ui is stopping");
        });
    }

    public int Subscribers => Volatile.Read(ref _subscribers).Length;

    /// <summary>Subscribers that take every call: only they need the calls' fields in the writers' notices.</summary>
    public int EveryCallSubscribers => Volatile.Read(ref _subscribers).Count(s => s.Tail is null);

    /// <summary>The distinct tails subscribed to now.</summary>
    public IReadOnlyList<LiveTail> Tails => Volatile.Read(ref _subscribers).Select(s => s.Tail).OfType<LiveTail>().Distinct().ToList();

    /// <summary>
    /// Signalled when the first every-call subscriber arrives and when the last one leaves (<see cref="LiveViewerLease"/>).
    /// </summary>
    public ChannelReader<bool> WatchedChanged => _watchedChanged.Reader;

    /// <summary>True while the LISTEN connection is open: only then is every commit seen.</summary>
    public bool Listening
    {
        get { lock (_lock) { return _listening; } }
    }

    /// <summary>
    /// A new subscriber to every call (<paramref name="tail"/> null) or to a tail, or null when the feed cannot promise
    /// its calls from now on (not listening, stopping).
    /// </summary>
    public Subscriber? Subscribe(LiveTail? tail = null)
    {
        var subscriber = new Subscriber(tail);
        lock (_lock)
        {
            if (!_listening || _stopping)
            {
                return null;
            }

            if (_stats is { } stats && _clock.GetUtcNow() - stats.At < FreshStats)
            {
                subscriber.TryQueue(stats.Frame);
            }

            _subscribers = [.. _subscribers, subscriber];
            if (tail is null && EveryCallSubscribers == 1)
            {
                _watchedChanged.Writer.TryWrite(true);
            }
        }

        return subscriber;
    }

    public void Unsubscribe(Subscriber subscriber)
    {
        lock (_lock)
        {
            var before = _subscribers.Length;
            _subscribers = _subscribers.Where(s => s != subscriber).ToArray();
            if (_subscribers.Length < before && subscriber.Tail is null && EveryCallSubscribers == 0)
            {
                _watchedChanged.Writer.TryWrite(false);
            }
        }

        subscriber.End();
    }

    /// <summary>A frame of every call announced: to the subscribers without a tail.</summary>
    public void Publish(ReadOnlyMemory<byte> frame) => Publish(frame, s => s.Tail is null);

    /// <summary>A frame of <paramref name="tail"/>: to its subscribers.</summary>
    public void Publish(LiveTail tail, ReadOnlyMemory<byte> frame) => Publish(frame, s => tail.Equals(s.Tail));

    private void Publish(ReadOnlyMemory<byte> frame, Func<Subscriber, bool> to)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers).Where(to))
        {
            if (!subscriber.TryQueue(frame))
            {
                _log.LogWarning("A live view fell {Backlog} frames behind and was dropped", Backlog);
                Unsubscribe(subscriber);
            }
        }
    }

    public void PublishStats(ReadOnlyMemory<byte> frame)
    {
        lock (_lock)
        {
            _stats = (frame, _clock.GetUtcNow());
        }

        Publish(frame, _ => true);
    }

    public void SetListening(bool listening)
    {
        lock (_lock)
        {
            _listening = listening;
        }
    }

    /// <summary>
    /// Ends every stream: after a gap (the LISTEN connection lost, a read that failed) a subscriber may have missed calls
    /// and must not believe otherwise. Its page reloads the table and opens the stream again.
    /// </summary>
    public void EndAll(string reason)
    {
        Subscriber[] ended;
        lock (_lock)
        {
            ended = _subscribers;
            _subscribers = [];
            if (ended.Any(s => s.Tail is null))
            {
                _watchedChanged.Writer.TryWrite(false);
            }
        }

        if (ended.Length > 0)
        {
            _log.LogWarning("Ended {Count} live views: {Reason}", ended.Length, reason);
        }

        foreach (var subscriber in ended)
        {
            subscriber.End();
        }
    }

    public sealed class Subscriber(LiveTail? tail)
    {
        /// <summary>Null: every call.</summary>
        public LiveTail? Tail { get; } = tail;

        private readonly Channel<ReadOnlyMemory<byte>> _frames = Channel.CreateBounded<ReadOnlyMemory<byte>>(
            new BoundedChannelOptions(Backlog) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

        public ChannelReader<ReadOnlyMemory<byte>> Frames => _frames.Reader;

        /// <summary>False when the queue is full (the subscriber is too slow) or ended.</summary>
        public bool TryQueue(ReadOnlyMemory<byte> frame) => _frames.Writer.TryWrite(frame);

        public void End() => _frames.Writer.TryComplete();
    }
}
