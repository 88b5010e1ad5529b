using LlmMonitor.Events;
using LlmMonitor.Metrics;

namespace LlmMonitor.Storage.Rollups;

/// <summary>
/// What a batch of newly stored events adds to every rollup table, summed in memory: PostgreSQL then only
/// upserts a few hundred pre-aggregated rows instead of grouping the batch six times over.
/// The sums are exact (decimal; latency is kept to the microsecond), so the rollups stay equal to a GROUP BY.
/// </summary>
public sealed class RollupDelta
{
    public Dictionary<HourlyKey, Sums> Hourly { get; } = [];
    public Dictionary<BucketKey, long> HourlyLatency { get; } = [];
    public Dictionary<BucketKey, long> DailyLatency { get; } = [];
    public Dictionary<TagKey, TagSums> HourlyTags { get; } = [];
    public Dictionary<TagKey, TagSums> DailyTags { get; } = [];
    public Dictionary<string, SessionSums> Sessions { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, TimeRange> Traces { get; } = new(StringComparer.Ordinal);

    public void Add(LlmEvent e)
    {
        var hour = Truncate(e.Timestamp, TimeSpan.TicksPerHour);
        var day = Truncate(e.Timestamp, TimeSpan.TicksPerDay);
        var isError = e.Status == EventStatus.Error;
        Hourly.GetOrAdd(new HourlyKey(hour, e.Model, e.Provider, e.Status)).Add(e);
        if (e.LatencyMs is { } latency)
        {
            var bucket = (short)LatencyHistogram.Bucket(latency);
            Increment(HourlyLatency, new BucketKey(hour, e.Model, bucket));
            Increment(DailyLatency, new BucketKey(day, e.Model, bucket));
        }

        foreach (var (key, value) in e.Tags)
        {
            HourlyTags.GetOrAdd(new TagKey(key, hour, value)).AddWithTime(e, isError);
            DailyTags.GetOrAdd(new TagKey(key, day, value)).Add(e, isError);
        }

        if (e.SessionId is { } session)
        {
            Sessions.GetOrAdd(session).Add(e, isError);
        }

        if (e.TraceId is { } trace)
        {
            Traces[trace] = Traces.TryGetValue(trace, out var range) ? range.With(e.Timestamp) : new TimeRange(e.Timestamp, e.Timestamp);
        }
    }

    private static DateTimeOffset Truncate(DateTimeOffset t, long ticks) => new(t.UtcTicks - t.UtcTicks % ticks, TimeSpan.Zero);

    private static void Increment<TKey>(Dictionary<TKey, long> counts, TKey key)
        where TKey : notnull =>
        counts[key] = counts.GetValueOrDefault(key) + 1;

    public readonly record struct HourlyKey(DateTimeOffset Hour, string Model, string Provider, string Status);

    /// <summary>A latency histogram's bucket; <see cref="Period"/> is the hour or the day.</summary>
    public readonly record struct BucketKey(DateTimeOffset Period, string Model, short Bucket);

    public readonly record struct TimeRange(DateTimeOffset First, DateTimeOffset Last)
    {
        public TimeRange With(DateTimeOffset at) => new(at < First ? at : First, at > Last ? at : Last);
    }

    /// <summary>A tag rollup key; <see cref="Period"/> is the hour or the day.</summary>
    public readonly record struct TagKey(string Key, DateTimeOffset Period, string Value);

    public sealed class Sums
    {
        public long Requests, PromptTokens, CompletionTokens, TotalTokens, CachedTokens, CacheWriteTokens, ReasoningTokens, Unpriced, LatencyCount;
        public decimal CostUsd, LatencyMsSum;

        public void Add(LlmEvent e)
        {
            Requests++;
            PromptTokens += e.PromptTokens;
            CompletionTokens += e.CompletionTokens;
            TotalTokens += e.TotalTokens;
            CachedTokens += e.CachedTokens;
            CacheWriteTokens += e.CacheWriteTokens;
            ReasoningTokens += e.ReasoningTokens;
            if (e.CostUsd is { } cost)
            {
                CostUsd += cost;
            }
            else
            {
                Unpriced++;
            }

            if (e.LatencyMs is { } latency)
            {
                LatencyCount++;
                // Like PostgreSQL's float8 → numeric (15 significant digits); exact for microsecond latencies.
                LatencyMsSum += (decimal)latency;
            }
        }
    }

    public sealed class TagSums
    {
        /// <summary>How many call times an hourly tag row keeps (llm_rollup_hourly_tags.call_times); the SQL says the same.</summary>
        public const int MaxCallTimes = 64;

        public long Requests, Errors, PromptTokens, CompletionTokens, TotalTokens, CacheWriteTokens, ReasoningTokens, Unpriced;
        public decimal CostUsd;
        public DateTimeOffset LastSeen = DateTimeOffset.MinValue;

        /// <summary>The calls' times, for hourly rows (<see cref="AddWithTime"/>) while there are at most <see cref="MaxCallTimes"/>.</summary>
        public List<DateTimeOffset>? CallTimes { get; private set; }

        /// <summary>More calls than an hourly row keeps the times of: <see cref="CallTimes"/> is then null.</summary>
        public bool TooManyCallTimes { get; private set; }

        public void AddWithTime(LlmEvent e, bool isError)
        {
            Add(e, isError);
            if (TooManyCallTimes)
            {
                return;
            }

            CallTimes ??= [];
            if (CallTimes.Count < MaxCallTimes)
            {
                CallTimes.Add(e.Timestamp);
            }
            else
            {
                (CallTimes, TooManyCallTimes) = (null, true);
            }
        }

        public void Add(LlmEvent e, bool isError)
        {
            Requests++;
            LastSeen = e.Timestamp > LastSeen ? e.Timestamp : LastSeen;
            Errors += isError ? 1 : 0;
            PromptTokens += e.PromptTokens;
            CompletionTokens += e.CompletionTokens;
            TotalTokens += e.TotalTokens;
            CacheWriteTokens += e.CacheWriteTokens;
            ReasoningTokens += e.ReasoningTokens;
            if (e.CostUsd is { } cost)
            {
                CostUsd += cost;
            }
            else
            {
                Unpriced++;
            }
        }
    }
}

/// <summary>What a batch adds to one session: its calls' sums, time span, models and latest user.</summary>
public sealed class SessionSums
{
    public long Calls, Errors, TotalTokens, Unpriced;
    public decimal CostUsd, LatencyMsSum;
    public DateTimeOffset FirstSeen = DateTimeOffset.MaxValue, LastSeen = DateTimeOffset.MinValue;
    public HashSet<string> Models { get; } = new(StringComparer.Ordinal);

    /// <summary>The user of the latest call that names one, latest by (timestamp, event_id) as PostgreSQL orders them.</summary>
    public string? UserId;
    public DateTimeOffset UserSeen;
    public Guid UserEvent;

    public void Add(LlmEvent e, bool isError)
    {
        Calls++;
        Errors += isError ? 1 : 0;
        TotalTokens += e.TotalTokens;
        if (e.CostUsd is { } cost)
        {
            CostUsd += cost;
        }
        else
        {
            Unpriced++;
        }

        if (e.LatencyMs is { } latency)
        {
            LatencyMsSum += (decimal)latency;
        }

        FirstSeen = e.Timestamp < FirstSeen ? e.Timestamp : FirstSeen;
        LastSeen = e.Timestamp > LastSeen ? e.Timestamp : LastSeen;
        Models.Add(e.Model);
        if (e.UserId is { } user && (UserId is null || IsLater(e.Timestamp, e.EventId, UserSeen, UserEvent)))
        {
            (UserId, UserSeen, UserEvent) = (user, e.Timestamp, e.EventId);
        }
    }

    private static bool IsLater(DateTimeOffset at, Guid id, DateTimeOffset otherAt, Guid otherId)
    {
        if (at != otherAt)
        {
            return at > otherAt;
        }

        // PostgreSQL compares uuids byte by byte in their written order; Guid.CompareTo does not.
        Span<byte> a = stackalloc byte[16], b = stackalloc byte[16];
        id.TryWriteBytes(a, bigEndian: true, out _);
        otherId.TryWriteBytes(b, bigEndian: true, out _);
        return a.SequenceCompareTo(b) > 0;
    }
}

internal static class DictionaryExtensions
{
    public static TValue GetOrAdd<TKey, TValue>(this Dictionary<TKey, TValue> dictionary, TKey key)
        where TKey : notnull
        where TValue : new()
    {
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(dictionary, key, out _);
        return slot ??= new TValue();
    }
}
