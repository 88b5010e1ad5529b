namespace LlmMonitor.Contracts;

/// <summary>Exchange and queue names from DESIGN.md; clients publish to these by name.</summary>
public static class Topology
{
    public const string EventsExchange = "llm-events";
    public const string WriterQueue = "llm-events-writer";
    public const string WriterErrorQueue = "llm-events-writer_error";

    /// <summary>Header the gateway sets: the time it received the request, used for events without a timestamp.</summary>
    public const string ReceivedAtHeader = "LlmMonitor-Received-At";
}
