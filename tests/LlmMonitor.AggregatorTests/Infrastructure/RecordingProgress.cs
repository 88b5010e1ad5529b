using Hangfire.Server;
using LlmMonitor.Aggregator.Jobs;

namespace LlmMonitor.AggregatorTests.Infrastructure;

/// <summary>Keeps what a job reported, and lets a test act after a given report (e.g. kill the job after its first chunk).</summary>
public sealed class RecordingProgress(Action<int>? afterReport = null) : IJobProgress
{
    public List<string> Messages { get; } = [];

    public void Report(PerformContext? context, string message)
    {
        Messages.Add(message);
        afterReport?.Invoke(Messages.Count);
    }
}
