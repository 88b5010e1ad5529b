using LlmMonitor.Storage.Heartbeats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LlmMonitor.Hosting;

public static class HeartbeatRegistration
{
    /// <summary>
    /// This instance's beat in service_heartbeats (see <see cref="ServiceHeartbeat"/>). Needs the database and the
    /// service's identity (AddMonitorDatabase, AddMonitorTelemetry).
    /// </summary>
    public static IHostApplicationBuilder AddServiceHeartbeat(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<HeartbeatStore>();
        builder.Services.AddHostedService<ServiceHeartbeat>();
        return builder;
    }
}
