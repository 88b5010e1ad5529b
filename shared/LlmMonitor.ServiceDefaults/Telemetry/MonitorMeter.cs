namespace LlmMonitor.Telemetry;

/// <summary>The meter every service records LLM Monitor's own instruments on (llm_monitor_* in /metrics).</summary>
public static class MonitorMeter
{
    public const string Name = "LlmMonitor";
}
