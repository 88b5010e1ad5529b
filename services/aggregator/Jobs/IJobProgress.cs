using Hangfire.Server;

namespace LlmMonitor.Aggregator.Jobs;

/// <summary>Where a job reports how far it got after each chunk.</summary>
public interface IJobProgress
{
    void Report(PerformContext? context, string message);
}
