using LlmMonitor.IntegrationTests.Infrastructure;

namespace LlmMonitor.IntegrationTests;

/// <summary>
/// No service calls out on its own. MassTransit would post usage telemetry to usage-tracking.masstransit.io
/// 5 minutes after its bus starts: rather than wait, the services are started as a deployment that asks for the
/// telemetry (MASSTRANSIT_USAGE_TELEMETRY=true) and must say that MassTransit decided against it.
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

    private async Task<ServiceProcess> StartAsync(string folder, string assembly)
    {
        var connectionString = await _servers.CreateDatabaseAsync(_runName);
        var rabbit = await _servers.CreateVirtualHostAsync(_runName);
        var service = new ServiceProcess(folder, assembly, new Dictionary<string, string>
        {
            ["DATABASE_URL"] = connectionString,
            ["RABBITMQ_URL"] = rabbit.ToUri().ToString(),
            ["MASSTRANSIT_USAGE_TELEMETRY"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__MassTransit"] = "Debug",
            ["Logging__LogLevel__LlmMonitor.Hosting"] = "Information",
        });
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
