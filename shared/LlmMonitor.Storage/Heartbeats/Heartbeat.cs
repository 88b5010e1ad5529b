namespace LlmMonitor.Storage.Heartbeats;

/// <summary>What an instance says of itself in a beat.</summary>
public sealed record Heartbeat(bool Ready, WriterProgress? Progress);

/// <summary>A writer's latest stored events and the ingest lag of its latest batch that carried a publish time.</summary>
public sealed record WriterProgress(DateTimeOffset? LastEventAt, double? IngestLagSeconds, DateTimeOffset? LagMeasuredAt);

/// <summary>Implemented by a service with more to say in its beat than its readiness (the writer).</summary>
public interface IWriterProgressSource
{
    WriterProgress Current { get; }
}
