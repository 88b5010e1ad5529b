using LlmMonitor.IntegrationTests.Infrastructure;

namespace LlmMonitor.IntegrationTests;

/// <summary>
/// No service calls out on its own. MassTransit would post usage telemetry to usage-tracking.masstransit.io
/// 5 minutes after its bus starts: rather than wait, the services are started as a deployment that asks for the
/// telemetry (MASSTRANSIT_USAGE_TELEMETRY=true) and must say that MassTransit decided against it. The services' own
/// traces and metrics leave only when OTEL_EXPORTER_OTLP_ENDPOINT names where to.
/// </summary>
public sealed class NoOutboundCallsTests : IAsyncLifetime
{
    private readonly string _runName = $"llmmon_it_out_{DateTime.UtcNow:yyyyMMddHHmmss}_{Random.Shared.Next(1000, 9999)}";
    private TestServers _servers = null!;
    private readonly List<ServiceProcess> _services = [];

    public async Task InitializeAsync() => _servers = await TestServers.StartAsync();

    [Theory]
    [InlineData("writer-worker", "LlmMonitor.WriterWorker")]
    [InlineData("ingest-gateway", "LlmMonitor.IngestGateway")]
    public async Task The_bus_services_keep_usage_telemetry_off_whatever_the_environment_says(string folder, string assembly)
    {
        var service = await StartAsync(folder, assembly);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var log = service.RecentLog;
        Assert.Contains("MassTransit usage telemetry: off", log);
        Assert.DoesNotContain("usage telemetry: on", log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("usage-tracking", log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Usage Telemetry:", log); // what MassTransit logs as it sends
        Assert.DoesNotContain("masstransit.io", log, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("writer-worker", "LlmMonitor.WriterWorker")]
    [InlineData("ingest-gateway", "LlmMonitor.IngestGateway")]
    public async Task Without_OTEL_EXPORTER_OTLP_ENDPOINT_no_telemetry_is_exported_even_where_other_OTLP_settings_point(string folder, string assembly)
    {
        // An OTLP exporter without an endpoint sends to localhost:4318 (http/protobuf); some would also honour the signal
        // endpoints. The receiver listens on both: no exporter may exist without the one variable that asks for it.
        using var receiver = new OtlpReceiver(OtlpReceiver.DefaultPort);
        var service = await StartAsync(folder, assembly, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = new Uri(receiver.Address, "v1/traces").ToString(),
            ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = new Uri(receiver.Address, "v1/metrics").ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        });
        using (var http = new HttpClient { BaseAddress = service.BaseAddress })
        {
            for (var i = 0; i < 5; i++)
            {
                // Requests a tracer would record (scrapes and health probes are not traced).
                await http.GetAsync("no-such-page");
            }
        }

        // The barrier: a graceful stop flushes every exporter there is before the process exits.
        await service.StopAsync();

        Assert.Empty(receiver.Exports);
    }

    private async Task<ServiceProcess> StartAsync(string folder, string assembly, IReadOnlyDictionary<string, string>? extra = null)
    {
        var connectionString = await _servers.CreateDatabaseAsync(_runName);
        var rabbit = await _servers.CreateVirtualHostAsync(_runName);
        var environment = new Dictionary<string, string>
        {
            ["DATABASE_URL"] = connectionString,
            ["RABBITMQ_URL"] = rabbit.ToUri().ToString(),
            ["MASSTRANSIT_USAGE_TELEMETRY"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__MassTransit"] = "Debug",
            ["Logging__LogLevel__LlmMonitor.Hosting"] = "Information",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var service = new ServiceProcess(folder, assembly, environment);
        _services.Add(service);
        await service.StartAsync();
        return service;
    }

    public async Task DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DisposeAsync();
        }

        if (_services.Count > 0)
        {
            await _servers.DropDatabaseAsync(_runName);
            await _servers.DeleteVirtualHostAsync(_runName);
        }

        await _servers.DisposeAsync();
    }
}
