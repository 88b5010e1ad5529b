namespace LlmMonitor.Client;

/// <summary>
/// A bounded queue of events waiting to be sent. Adding never blocks: when it is full the oldest event is dropped
/// and counted. The sender reads a batch from the front without removing it, and removes it only once the gateway
/// has answered, so the events being retried are still the oldest and go first when the buffer overflows.
/// </summary>
internal sealed class EventBuffer(int capacity)
{
    private readonly Queue<(long Seq, LlmCallEvent Event)> _queue = new();
    private readonly Lock _lock = new();
    private long _nextSeq;
    private long _dropped;
    private long _sent;
    private long _rejected;
    private long _failed;

    /// <returns>How many events are waiting now.</returns>
    public int Add(LlmCallEvent e)
    {
        lock (_lock)
        {
            if (_queue.Count >= capacity)
            {
                _queue.Dequeue();
                _dropped++;
            }

            _queue.Enqueue((_nextSeq++, e));
            return _queue.Count;
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>The sequence number the next event will get: events before it have been added.</summary>
    public long NextSeq
    {
        get
        {
            lock (_lock)
            {
                return _nextSeq;
            }
        }
    }

    /// <summary>True when every event added before <paramref name="seq"/> has left the buffer.</summary>
    public bool HasSettled(long seq)
    {
        lock (_lock)
        {
            return _queue.Count == 0 || _queue.Peek().Seq >= seq;
        }
    }

    /// <summary>The oldest events, still in the buffer.</summary>
    public Batch Peek(int max)
    {
        lock (_lock)
        {
            var items = _queue.Take(max).ToList();
            return new Batch(items.Select(i => i.Event).ToList(), items.Count == 0 ? -1 : items[^1].Seq);
        }
    }

    /// <summary>Removes a batch the gateway has answered. Events of it that overflowed meanwhile were sent after all.</summary>
    public void Complete(Batch batch, long sent, long rejected, long failed)
    {
        lock (_lock)
        {
            var removed = 0;
            while (_queue.Count > 0 && _queue.Peek().Seq <= batch.LastSeq)
            {
                _queue.Dequeue();
                removed++;
            }

            _dropped -= batch.Events.Count - removed;
            _sent += sent;
            _rejected += rejected;
            _failed += failed;
        }
    }

    /// <summary>Drops everything still waiting (the client is closing and the gateway did not take it in time).</summary>
    public void DropAll()
    {
        lock (_lock)
        {
            _dropped += _queue.Count;
            _queue.Clear();
        }
    }

    public void CountDropped()
    {
        lock (_lock)
        {
            _dropped++;
        }
    }

    public MonitorStats Stats()
    {
        lock (_lock)
        {
            return new MonitorStats(_sent, _dropped, _rejected, _failed, _queue.Count);
        }
    }

    internal sealed record Batch(IReadOnlyList<LlmCallEvent> Events, long LastSeq);
}
