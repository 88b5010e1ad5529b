namespace LlmMonitor.Jobs;

/// <summary>The recurring jobs' ids: what an operator sees on /hangfire's "Recurring jobs" page.</summary>
public static class JobIds
{
    public const string PartitionUpkeep = "partition-upkeep";
    public const string Retention = "retention";
    public const string RollupCheck = "rollup-check";
    public const string Reprice = "reprice";
    public const string AlertEvaluate = "alert-evaluate";
    public const string ModelTagRollup = "model-tag-rollup";
}

/// <summary>Hangfire queues besides "default".</summary>
public static class JobQueues
{
    public const string Default = "default";

    /// <summary>Notification deliveries, processed by workers of their own.</summary>
    public const string Notifications = "notifications";
}
