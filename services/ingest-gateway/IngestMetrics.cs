using System.Diagnostics.Metrics;
using LlmMonitor.Telemetry;

namespace LlmMonitor.IngestGateway;

/// <summary>
/// llm_monitor_events_accepted_total and llm_monitor_events_rejected_total, by the way the events came in
/// (<c>path</c>: single, batch or otlp). Accepted = answered 202 (or 207, or OTLP success) after the broker confirmed;
/// rejected = refused by the validator.
/// </summary>
public sealed class IngestMetrics
{
    public const string Single = "single";
    public const string Batch = "batch";
    public const string Otlp = "otlp";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;

    public IngestMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MonitorMeter.Name);
        _accepted = meter.CreateCounter<long>("llm_monitor.events.accepted", "{event}", "Events accepted: published and confirmed by the broker");
        _rejected = meter.CreateCounter<long>("llm_monitor.events.rejected", "{event}", "Events refused by validation");
    }

    public void Accepted(string path, int events) => Add(_accepted, path, events);

    public void Rejected(string path, int events) => Add(_rejected, path, events);

    private static void Add(Counter<long> counter, string path, int events)
    {
        if (events > 0)
        {
            counter.Add(events, new KeyValuePair<string, object?>("path", path));
        }
    }
}
