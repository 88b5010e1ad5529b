using Npgsql;

namespace LlmMonitor.Storage.Reads;

/// <summary>Latency histograms read as (first_bucket, counts[]) rows and summed bucket by bucket.</summary>
public sealed class HistogramSum : ISummable<HistogramSum>
{
    private readonly Dictionary<int, long> _counts = [];

    public void Add(int firstBucket, long[] counts)
    {
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] != 0)
            {
                _counts[firstBucket + i] = _counts.GetValueOrDefault(firstBucket + i) + counts[i];
            }
        }
    }

    public void Add(HistogramSum other)
    {
        foreach (var (bucket, count) in other._counts)
        {
            _counts[bucket] = _counts.GetValueOrDefault(bucket) + count;
        }
    }

    /// <summary>Adds the row's histogram from columns <paramref name="first"/> (first_bucket) and first + 1 (counts).</summary>
    public void Add(NpgsqlDataReader reader, int first) => Add(reader.GetInt16(first), reader.GetFieldValue<long[]>(first + 1));

    public IReadOnlyList<(int Bucket, long Count)> Buckets => _counts.Select(c => (c.Key, c.Value)).ToList();
}
