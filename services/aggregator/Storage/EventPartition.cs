namespace LlmMonitor.Aggregator.Storage;

/// <summary>A daily partition of llm_events, named llm_events_YYYYMMDD by llm_ensure_partitions.</summary>
/// <param name="Attached">False for a table left detached by a retention run that stopped before dropping it.</param>
/// <param name="DetachPending">A DETACH … CONCURRENTLY that was interrupted; it needs FINALIZE.</param>
public sealed record EventPartition(string Name, DateOnly Day, bool Attached, bool DetachPending, long EstimatedRows)
{
    public DateTimeOffset Start => UtcDays.Start(Day);

    public DateTimeOffset End => UtcDays.Start(Day.AddDays(1));

    public bool Usable => Attached && !DetachPending;
}
