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

    /// <summary>Accepted events waiting for the broker; beyond this requests get 503 at once instead of queueing.</summary>
    public const long PublishBacklogBytes = 64L * 1024 * 1024;
}
