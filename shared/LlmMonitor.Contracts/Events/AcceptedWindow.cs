namespace LlmMonitor.Events;

/// <summary>
/// The timestamps an event may carry: from RETENTION_DAYS before now to <see cref="EventRules.MaxFutureSkew"/>
/// after. The validator refuses the rest, and the daily partitions of llm_events cover it.
/// </summary>
public readonly record struct AcceptedWindow(DateTimeOffset Oldest, DateTimeOffset Newest)
{
    public static AcceptedWindow At(DateTimeOffset now, int retentionDays) =>
        new(now.AddDays(-retentionDays), now + EventRules.MaxFutureSkew);
}
