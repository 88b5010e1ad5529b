using LlmMonitor.Configuration;
using LlmMonitor.Storage;
using LlmMonitor.Storage.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LlmMonitor.Hosting;

public static class DatabaseRegistration
{
    /// <summary>
    /// The database of the services that use it (writer, aggregator, web-ui): the data source, reads that outlive a
    /// restart (<see cref="ReadRetry"/>), schema migration on start (<see cref="DatabaseStartup"/>) and readiness =
    /// PostgreSQL answers. The gateway has none of it.
    /// </summary>
    public static IHostApplicationBuilder AddMonitorDatabase(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => MonitorDatabase.Create(sp.GetRequiredService<IOptions<MonitorOptions>>().Value.PostgresConnectionString));
        builder.Services.AddSingleton<ReadRetry>();
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddSingleton<Partitions>();
        builder.Services.AddSingleton<PriceStore>();
        builder.Services.AddSingleton<DatabaseStartup>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DatabaseStartup>());
        builder.Services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: [ServiceDefaults.ReadyTag]);
        return builder;
    }
}
