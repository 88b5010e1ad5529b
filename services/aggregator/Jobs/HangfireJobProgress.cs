using Hangfire.Server;

namespace LlmMonitor.Aggregator.Jobs;

/// <summary>
/// Progress as a job parameter, which /hangfire shows on the job's page while it runs (and keeps afterwards), and
/// as a log line.
/// </summary>
public sealed class HangfireJobProgress(ILogger<HangfireJobProgress> log) : IJobProgress
{
    public const string Parameter = "Progress";

    public void Report(PerformContext? context, string message)
    {
        context?.SetJobParameter(Parameter, message);
        log.LogInformation("Job {JobId}: {Progress}", context?.BackgroundJob.Id ?? "(direct)", message);
    }
}
