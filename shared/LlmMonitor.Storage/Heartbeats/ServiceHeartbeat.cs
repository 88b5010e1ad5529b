using LlmMonitor.Hosting;
using LlmMonitor.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmMonitor.Storage.Heartbeats;

/// <summary>
/// Beats every <see cref="HeartbeatStore.Interval"/> with this instance's readiness (its /health/ready checks) and, in
/// a writer, its progress; a graceful stop says so at once. Any number of instances may run: each has its own row,
/// and nothing needs to know their addresses.
/// </summary>
public sealed class ServiceHeartbeat(
    HeartbeatStore store,
    ServiceIdentity self,
    HealthCheckService health,
    DatabaseStartup database,
    TimeProvider clock,
    ILogger<ServiceHeartbeat> log,
    IWriterProgressSource? progress = null) : BackgroundService
{
    private readonly DateTimeOffset _startedAt = clock.GetUtcNow();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.Ready.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(HeartbeatStore.Interval, clock);
        do
        {
            await TryBeatAsync(stopping: false, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (database.Ready.IsCompleted)
        {
            await TryBeatAsync(stopping: true, cancellationToken);
        }
    }

    private async Task TryBeatAsync(bool stopping, CancellationToken ct)
    {
        try
        {
            var ready = !stopping && (await health.CheckHealthAsync(c => c.Tags.Contains(ServiceDefaults.ReadyTag), ct)).Status == HealthStatus.Healthy;
            await store.BeatAsync(self, _startedAt, new Heartbeat(ready, progress?.Current), stopping, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // A missed beat is the message: the pipeline view shows this instance as not running after a few of them.
            log.LogDebug(e, "Heartbeat not written: {Reason}", e.Message);
        }
    }
}
