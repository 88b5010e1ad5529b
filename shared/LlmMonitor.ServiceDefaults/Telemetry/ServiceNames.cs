namespace LlmMonitor.Telemetry;

/// <summary>The four services, by the names their folders, logs, heartbeats and telemetry carry.</summary>
public static class ServiceNames
{
    public const string Gateway = "ingest-gateway";
    public const string Writer = "writer-worker";
    public const string Aggregator = "aggregator";
    public const string WebUi = "web-ui";

    public static IReadOnlyList<string> All { get; } = [Gateway, Writer, Aggregator, WebUi];
}
