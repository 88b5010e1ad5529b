using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LlmMonitor.Telemetry;

/// <summary>
/// The services' own telemetry: every service serves its metrics (LLM Monitor's, the .NET runtime's, ASP.NET Core's)
/// as Prometheus text at <c>/metrics</c>. Only when OTEL_EXPORTER_OTLP_ENDPOINT is set do traces and metrics also
/// leave the machine, by OTLP, to that address; without it no exporter exists and no trace is even recorded.
/// </summary>
public static class MonitorTelemetry
{
    public const string MetricsPath = "/metrics";
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The activity sources traced when exporting: the bus (MassTransit) and the database (Npgsql).</summary>
    private static readonly string[] TracedLibraries = ["MassTransit", "Npgsql"];

    public static IHostApplicationBuilder AddMonitorTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        var identity = ServiceIdentity.ForThisProcess(serviceName);
        builder.Services.AddSingleton(identity);
        var exportByOtlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: identity.Instance))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(MonitorMeter.Name).AddRuntimeInstrumentation().AddAspNetCoreInstrumentation()
                    // Every scrape reads the instruments afresh (the exporter would answer from a 300 ms cache).
                    .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                if (exportByOtlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (exportByOtlp)
        {
            telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation(o => o.Filter = http => !IsHousekeeping(http.Request.Path))
                .AddSource(TracedLibraries).AddOtlpExporter());
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapMonitorMetrics(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    /// <summary>Scrapes and health probes every few seconds would drown the requests worth tracing.</summary>
    private static bool IsHousekeeping(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/health");
}
