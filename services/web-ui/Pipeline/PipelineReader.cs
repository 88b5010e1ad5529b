using LlmMonitor.Contracts;
using LlmMonitor.Messaging;
using LlmMonitor.Storage.Heartbeats;
using LlmMonitor.Storage.Resilience;
using LlmMonitor.Telemetry;

namespace LlmMonitor.WebUi.Pipeline;

/// <summary>
/// Gathers the pipeline view from where each part is known: queue depths and the gateways from RabbitMQ, the other
/// services' heartbeats and the writers' progress from PostgreSQL, the jobs from Hangfire's storage. A source that
/// cannot be reached leaves its part unknown (null, or not ready) instead of failing the whole answer.
/// </summary>
public sealed class PipelineReader(QueueProbe queues, HeartbeatStore heartbeats, RecurringJobs jobs, TimeProvider clock, ILogger<PipelineReader> log)
{
    private static readonly string[] ShownQueues = [Topology.WriterQueue, Topology.WriterErrorQueue];

    public async Task<PipelineStatus> ReadAsync(CancellationToken ct)
    {
        var counts = await queues.CountAsync([.. ShownQueues, Topology.GatewaysQueue], ct);
        var database = await ReadDatabaseAsync(ct);
        var shown = ShownQueues.Select(name => QueueStatusOf(name, counts)).ToList();
        return new PipelineStatus(
            shown,
            shown.Single(q => q.Name == Topology.WriterErrorQueue).Messages,
            database?.Writers.IngestLagSeconds,
            database?.Writers.LastEventAt,
            database?.Jobs ?? [],
            Services(counts, database?.Services ?? []),
            counts is not null,
            database is not null,
            clock.GetUtcNow());
    }

    private async Task<DatabaseView?> ReadDatabaseAsync(CancellationToken ct)
    {
        try
        {
            return new DatabaseView(await heartbeats.ServicesAsync(ct), await heartbeats.WritersAsync(ct), await jobs.ReadAsync(ct));
        }
        catch (Exception e) when (PostgresFailures.IsUnreachable(e))
        {
            log.LogWarning(e, "Pipeline view without the database's part: it is unreachable");
            return null;
        }
    }

    /// <summary>A queue not declared yet holds nothing; with the broker unreachable its counts are unknown.</summary>
    private static QueueStatus QueueStatusOf(string name, IReadOnlyDictionary<string, QueueCounts>? counts) =>
        counts is null ? new QueueStatus(name, null, null)
        : counts.TryGetValue(name, out var c) ? new QueueStatus(name, c.Messages, c.Consumers)
        : new QueueStatus(name, 0, 0);

    private static List<ServiceStatus> Services(IReadOnlyDictionary<string, QueueCounts>? counts, IReadOnlyList<ServiceInstances> beating) =>
        ServiceNames.All.Select(name =>
        {
            if (name == ServiceNames.Gateway)
            {
                var gateways = counts?.GetValueOrDefault(Topology.GatewaysQueue)?.Consumers ?? 0;
                return new ServiceStatus(name, gateways > 0, gateways);
            }

            var service = beating.FirstOrDefault(s => s.Service == name);
            return new ServiceStatus(name, service is { Ready: > 0 }, service?.Instances ?? 0);
        }).ToList();

    private sealed record DatabaseView(IReadOnlyList<ServiceInstances> Services, WriterProgress Writers, IReadOnlyList<JobStatus> Jobs);
}
