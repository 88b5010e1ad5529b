using LlmMonitor.Configuration;
using LlmMonitor.Events;
using LlmMonitor.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LlmMonitor.Hosting;

/// <summary>What every service has: options, the database, schema migration on start, health endpoints.</summary>
public static class ServiceDefaults
{
    public const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddMonitorDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MonitorOptions>().Bind(builder.Configuration).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => MonitorDatabase.Create(sp.GetRequiredService<IOptions<MonitorOptions>>().Value.PostgresConnectionString));
        builder.Services.AddSingleton(sp => new EventValidator(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<MonitorOptions>>().Value.RetentionDays));
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddSingleton<Partitions>();
        builder.Services.AddSingleton<PriceStore>();
        builder.Services.AddSingleton<DatabaseStartup>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DatabaseStartup>());
        builder.Services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: [ReadyTag]);
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
