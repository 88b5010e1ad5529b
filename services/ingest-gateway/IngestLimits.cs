namespace LlmMonitor.IngestGateway;

public static class IngestLimits
{
    public const int SingleBodyBytes = 1024 * 1024;
    public const int BatchBodyBytes = 10 * 1024 * 1024;
    public const int BatchMaxEvents = 1000;
    public const int RetryAfterSeconds = 5;

    /// <summary>What the writer takes in one AMQP message; larger ones go to its error queue.</summary>
    public const int MessageMaxBytes = LlmMonitor.Contracts.Topology.MessageMaxBytes;

    public const int MessageMaxEvents = LlmMonitor.Contracts.Topology.MessageMaxEvents;
}

/// <summary>
/// Accepted events waiting for the broker; beyond this requests get 503 at once instead of queueing. The
/// "PublishBacklog" configuration section exists so that tests can make it small; it is not a documented setting.
/// </summary>
public sealed class PublishBacklog
{
    public long Bytes { get; set; } = 64L * 1024 * 1024;
}
