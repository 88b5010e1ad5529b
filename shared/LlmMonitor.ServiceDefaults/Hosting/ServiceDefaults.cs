using LlmMonitor.Configuration;
using LlmMonitor.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LlmMonitor.Hosting;

/// <summary>
/// What every service has: options, the clock, the event validator, health endpoints. The database
/// (<c>AddMonitorDatabase</c>) and the bus (<c>AddMonitorBus</c>) are added by the services that use them.
/// </summary>
public static class ServiceDefaults
{
    public const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddMonitorDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MonitorOptions>().Bind(builder.Configuration).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new EventValidator(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<MonitorOptions>>().Value.RetentionDays));
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>Listens on the service's default address unless ASPNETCORE_URLS or --urls says otherwise.</summary>
    public static WebApplicationBuilder UseDefaultUrl(this WebApplicationBuilder builder, string url)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(url);
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapMonitorHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) });
        return app;
    }
}
