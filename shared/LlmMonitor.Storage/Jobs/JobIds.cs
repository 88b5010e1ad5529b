namespace LlmMonitor.Jobs;

/// <summary>The recurring jobs' ids: what an operator sees on /hangfire's "Recurring jobs" page.</summary>
public static class JobIds
{
    public const string PartitionUpkeep = "partition-upkeep";
    public const string Retention = "retention";
    public const string RollupCheck = "rollup-check";
    public const string Reprice = "reprice";
}
