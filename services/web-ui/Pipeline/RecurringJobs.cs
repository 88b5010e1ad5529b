using Hangfire;
using Hangfire.Storage;
using LlmMonitor.Storage.Resilience;

namespace LlmMonitor.WebUi.Pipeline;

/// <summary>
/// The aggregator's recurring jobs as Hangfire's storage has them: last run and its state, next run. Read through
/// <see cref="ReadRetry"/>, which also empties Hangfire's connection pool when PostgreSQL has restarted.
/// </summary>
public sealed class RecurringJobs(JobStorage storage, ReadRetry retry)
{
    public Task<IReadOnlyList<JobStatus>> ReadAsync(CancellationToken ct) => retry.RunAsync(_ => Task.Run(Read, ct), ct);

    private IReadOnlyList<JobStatus> Read()
    {
        using var connection = storage.GetConnection();
        return connection.GetRecurringJobs()
            .OrderBy(j => j.Id, StringComparer.Ordinal)
            .Select(j => new JobStatus(j.Id, Utc(j.LastExecution), j.LastJobState, Utc(j.NextExecution)))
            .ToList();
    }

    private static DateTimeOffset? Utc(DateTime? time) => time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}
