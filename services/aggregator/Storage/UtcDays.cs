namespace LlmMonitor.Aggregator.Storage;

/// <summary>UTC day arithmetic: partitions and daily rollups are UTC days.</summary>
public static class UtcDays
{
    public static DateOnly Of(DateTimeOffset t) => DateOnly.FromDateTime(t.UtcDateTime);

    public static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>
    /// The first day not wholly older than <paramref name="days"/> days before <paramref name="now"/>: every day
    /// before it ends at or before now − days, so it lies wholly outside the window.
    /// </summary>
    public static DateOnly FirstKept(DateTimeOffset now, int days) => Of(now.AddDays(-days));
}
