using Hangfire;
using LlmMonitor.Aggregator.Jobs;
using LlmMonitor.Jobs;

namespace LlmMonitor.Aggregator.Jobs;

/// <summary>The recurring jobs, by explicit id, in UTC. AddOrUpdate is idempotent, so every aggregator start registers them.</summary>
public static class RecurringJobSchedule
{
    public static void Register(IRecurringJobManager jobs)
    {
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        jobs.AddOrUpdate<IPartitionUpkeepJob>(JobIds.PartitionUpkeep, j => j.RunAsync(null, CancellationToken.None), "5 * * * *", utc);
        jobs.AddOrUpdate<IRetentionJob>(JobIds.Retention, j => j.RunAsync(null, CancellationToken.None), "20 0 * * *", utc);
        jobs.AddOrUpdate<IRollupCheckJob>(JobIds.RollupCheck, j => j.RunAsync(RollupCheckJob.DefaultDays, null, CancellationToken.None), "30 2 * * *", utc);
        // After the rollup check, so that it picks the models to price from repaired figures.
        jobs.AddOrUpdate<IRepriceJob>(JobIds.Reprice, j => j.PriceUnpricedAsync(null, CancellationToken.None), "0 3 * * *", utc);
        jobs.AddOrUpdate<IModelTagRollupJob>(JobIds.ModelTagRollup, j => j.RunAsync(null, CancellationToken.None), "*/5 * * * *", utc);
        jobs.AddOrUpdate<IAlertEvaluateJob>(JobIds.AlertEvaluate, j => j.RunAsync(null, CancellationToken.None), "* * * * *", utc);
    }
}
