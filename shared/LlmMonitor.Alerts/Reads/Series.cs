using LlmMonitor.Storage.Reads;

namespace LlmMonitor.Alerts.Reads;

/// <summary>
/// Sums of one filter by whole hour (from the rollups) and by minute (from llm_events), from which any window that
/// starts and ends on a whole minute is added up: its whole hours from <see cref="Hours"/>, its ragged edges from
/// <see cref="Minutes"/>. A series without rollups (<see cref="MinutesOnly"/>) holds every minute of its windows.
/// </summary>
public sealed class Series<T>(bool minutesOnly) where T : class, ISummable<T>, new()
{
    public bool MinutesOnly { get; } = minutesOnly;

    public Dictionary<DateTimeOffset, T> Hours { get; } = [];

    public Dictionary<DateTimeOffset, T> Minutes { get; } = [];

    public T Hour(DateTimeOffset hour) => At(Hours, hour);

    public T Minute(DateTimeOffset minute) => At(Minutes, minute);

    public T Sum(TimeWindow window)
    {
        var sum = new T();
        if (MinutesOnly)
        {
            AddMinutes(sum, window.Start, window.End);
            return sum;
        }

        for (var hour = window.HourStart; hour < window.HourEnd; hour = hour.AddHours(1))
        {
            AddFrom(sum, Hours, hour);
        }

        AddMinutes(sum, window.RawHead.From, window.RawHead.To);
        AddMinutes(sum, window.RawTail.From, window.RawTail.To);
        return sum;
    }

    private void AddMinutes(T sum, DateTimeOffset from, DateTimeOffset to)
    {
        for (var minute = from; minute < to; minute = minute.AddMinutes(1))
        {
            AddFrom(sum, Minutes, minute);
        }
    }

    private static void AddFrom(T sum, Dictionary<DateTimeOffset, T> buckets, DateTimeOffset at)
    {
        if (buckets.TryGetValue(at, out var bucket))
        {
            sum.Add(bucket);
        }
    }

    private static T At(Dictionary<DateTimeOffset, T> buckets, DateTimeOffset at)
    {
        if (!buckets.TryGetValue(at, out var bucket))
        {
            buckets[at] = bucket = new T();
        }

        return bucket;
    }
}
