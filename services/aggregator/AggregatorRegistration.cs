using LlmMonitor.Storage.Rollups;
using LlmMonitor.Aggregator.Alerts;
using LlmMonitor.Aggregator.Hosting;
using LlmMonitor.Aggregator.Jobs;
using LlmMonitor.Aggregator.Storage;
using LlmMonitor.Hosting;
using LlmMonitor.Jobs;

namespace LlmMonitor.Aggregator;

public static class AggregatorRegistration
{
    /// <summary>The jobs, their storage and the Hangfire server that runs them.</summary>
    public static IHostApplicationBuilder AddAggregator(this IHostApplicationBuilder builder)
    {
        builder.AddMonitorHangfireStorage();
        builder.Services.AddSingleton<EventPartitions>();
        builder.Services.AddSingleton<PartitionDropper>();
        builder.Services.AddSingleton<RollupPruner>();
        builder.Services.AddSingleton<EventKeyPruner>();
        builder.Services.AddSingleton<RunningTotalBounds>();
        builder.Services.AddSingleton<RecentTotals>();
        builder.Services.AddSingleton<ModelTagRollups>();
        builder.Services.AddSingleton<SessionHours>();
        builder.Services.AddSingleton<RollupAuditor>();
        builder.Services.AddSingleton<Repricer>();
        builder.Services.AddSingleton<IJobProgress, HangfireJobProgress>();
        builder.Services.AddTransient<IPartitionUpkeepJob, PartitionUpkeepJob>();
        builder.Services.AddTransient<IRetentionJob, RetentionJob>();
        builder.Services.AddTransient<IRollupCheckJob, RollupCheckJob>();
        builder.Services.AddTransient<IRepriceJob, RepriceJob>();
        builder.Services.AddTransient<IModelTagRollupJob, ModelTagRollupJob>();
        builder.AddAlertEvaluation();
        builder.Services.AddSingleton<DeliveryQueue>();
        builder.Services.AddTransient<IAlertEvaluateJob, AlertEvaluateJob>();
        builder.Services.AddTransient<INotificationDeliveryJob, NotificationDeliveryJob>();
        builder.Services.AddHostedService<JobServerHost>();
        return builder;
    }
}
