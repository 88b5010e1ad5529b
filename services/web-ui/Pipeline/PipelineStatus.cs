using System.Text.Json.Serialization;

namespace LlmMonitor.WebUi.Pipeline;

/// <summary>GET /api/pipeline: where events are on their way, and whether every part of the way runs.</summary>
public sealed record PipelineStatus(
    IReadOnlyList<QueueStatus> Queues,
    [property: JsonPropertyName("error_queue_messages")] long? ErrorQueueMessages,
    [property: JsonPropertyName("ingest_lag_seconds")] double? IngestLagSeconds,
    [property: JsonPropertyName("last_event_at")] DateTimeOffset? LastEventAt,
    IReadOnlyList<JobStatus> Jobs,
    IReadOnlyList<ServiceStatus> Services,
    [property: JsonPropertyName("broker_reachable")] bool BrokerReachable,
    [property: JsonPropertyName("database_reachable")] bool DatabaseReachable,
    [property: JsonPropertyName("checked_at")] DateTimeOffset CheckedAt);

/// <param name="Messages">Ready in the queue (not those a writer holds unacknowledged); null when unknown.</param>
public sealed record QueueStatus(string Name, long? Messages, long? Consumers);

public sealed record JobStatus(
    string Id,
    [property: JsonPropertyName("last_run")] DateTimeOffset? LastRun,
    [property: JsonPropertyName("last_state")] string? LastState,
    [property: JsonPropertyName("next_run")] DateTimeOffset? NextRun);

/// <param name="Ready">At least one instance runs and is ready.</param>
/// <param name="Instances">Instances running (heartbeat fresh; for gateways, connected to the broker).</param>
public sealed record ServiceStatus(string Name, bool Ready, long Instances);
