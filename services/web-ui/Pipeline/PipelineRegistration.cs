using LlmMonitor.Configuration;
using LlmMonitor.Messaging;
using LlmMonitor.Storage.Heartbeats;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlmMonitor.WebUi.Pipeline;

public static class PipelineRegistration
{
    /// <summary>The pipeline view's sources. Needs the Hangfire storage (AddPricingAdmin registers it) and the heartbeats.</summary>
    public static IServiceCollection AddPipelineView(this IServiceCollection services)
    {
        services.AddSingleton<QueueProbe>();
        services.AddRabbitMqUrlValidation();
        services.TryAddSingleton<HeartbeatStore>();
        services.AddSingleton<RecurringJobs>();
        services.AddSingleton<PipelineReader>();
        return services;
    }
}
