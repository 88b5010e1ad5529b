namespace LlmMonitor.Contracts;

/// <summary>Exchange and queue names of the public contract (README, Ways in); clients publish to these by name.</summary>
public static class Topology
{
    public const string EventsExchange = "llm-events";
    public const string WriterQueue = "llm-events-writer";
    public const string WriterErrorQueue = "llm-events-writer_error";

    /// <summary>
    /// No message is ever sent here: each running gateway holds a consumer on this auto-delete queue, so its consumer
    /// count is the number of gateways connected to the broker (the pipeline view reads it).
    /// </summary>
    public const string GatewaysQueue = "llm-monitor-gateways";

    /// <summary>The largest message the writer stores; a larger one goes to the error queue.</summary>
    public const int MessageMaxBytes = 10 * 1024 * 1024;

    /// <summary>The most events one message may carry; a message with more goes to the error queue.</summary>
    public const int MessageMaxEvents = 1000;

    /// <summary>Header the gateway sets: the time it received the request, used for events without a timestamp.</summary>
    public const string ReceivedAtHeader = "LlmMonitor-Received-At";
}
