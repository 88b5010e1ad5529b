using MassTransit;
using MassTransit.UsageTracking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmMonitor.Hosting;

/// <summary>
/// No service calls out on its own. MassTransit (8.4+) posts usage telemetry to its vendor 5 minutes after the bus
/// starts unless told not to; every bus is registered through <see cref="BusRegistration.AddMonitorBus"/>, which
/// switches it off in code, so that no deployment can forget it.
/// </summary>
public static class LibraryTelemetry
{
    public const string MassTransitVariable = "MASSTRANSIT_USAGE_TELEMETRY";

    public static IHostApplicationBuilder TurnOffLibraryTelemetry(this IHostApplicationBuilder builder)
    {
        // MassTransit lets this variable override its option, so a deployment's "true" would win over the option alone.
        Environment.SetEnvironmentVariable(MassTransitVariable, "false");
        builder.Services.PostConfigure<UsageTelemetryOptions>(o => o.Enabled = false);
        builder.Services.AddHostedService<UsageTelemetryReport>();
        return builder;
    }

    /// <summary>Says in the log what MassTransit itself decided, in the services that run a bus.</summary>
    private sealed class UsageTelemetryReport(IServiceProvider services, ILogger<UsageTelemetryReport> log) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (services.GetService<IUsageTracker>() is UsageTracker tracker)
            {
                if (tracker.Enabled)
                {
                    log.LogWarning("MassTransit usage telemetry: on");
                }
                else
                {
                    log.LogInformation("MassTransit usage telemetry: off");
                }
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
