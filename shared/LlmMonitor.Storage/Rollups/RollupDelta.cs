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
    public Dictionary<HourlyBucketKey, long> HourlyLatency { get; } = [];
    public Dictionary<DailyBucketKey, long> DailyLatency { get; } = [];
    public Dictionary<TagKey, TagSums> HourlyTags { get; } = [];
    public Dictionary<TagKey, TagSums> DailyTags { get; } = [];

    public void Add(LlmEvent e)
    {
        var hour = Truncate(e.Timestamp, TimeSpan.TicksPerHour);
        var day = Truncate(e.Timestamp, TimeSpan.TicksPerDay);
        var isError = e.Status == EventStatus.Error;
        Hourly.GetOrAdd(new HourlyKey(hour, e.Model, e.Provider, e.Status)).Add(e);
        if (e.LatencyMs is { } latency)
        {
            var bucket = (short)LatencyHistogram.Bucket(latency);
            Increment(HourlyLatency, new HourlyBucketKey(hour, e.Model, e.Provider, e.Status, bucket));
            Increment(DailyLatency, new DailyBucketKey(day, e.Model, bucket));
        }

        foreach (var (key, value) in e.Tags)
        {
            HourlyTags.GetOrAdd(new TagKey(key, hour, value)).Add(e, isError);
            DailyTags.GetOrAdd(new TagKey(key, day, value)).Add(e, isError);
        }
    }

    private static DateTimeOffset Truncate(DateTimeOffset t, long ticks) => new(t.UtcTicks - t.UtcTicks % ticks, TimeSpan.Zero);

    private static void Increment<TKey>(Dictionary<TKey, long> counts, TKey key)
        where TKey : notnull =>
        counts[key] = counts.GetValueOrDefault(key) + 1;

    public readonly record struct HourlyKey(DateTimeOffset Hour, string Model, string Provider, string Status);

    public readonly record struct HourlyBucketKey(DateTimeOffset Hour, string Model, string Provider, string Status, short Bucket);

    public readonly record struct DailyBucketKey(DateTimeOffset Day, string Model, short Bucket);

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
        public long Requests, Errors, PromptTokens, CompletionTokens, TotalTokens, CacheWriteTokens, ReasoningTokens, Unpriced;
        public decimal CostUsd;

        public void Add(LlmEvent e, bool isError)
        {
            Requests++;
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
