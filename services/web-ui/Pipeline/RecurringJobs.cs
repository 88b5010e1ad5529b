using Hangfire;
using Hangfire.Storage;

namespace LlmMonitor.WebUi.Pipeline;

/// <summary>The aggregator's recurring jobs as Hangfire's storage has them: last run and its state, next run.</summary>
public sealed class RecurringJobs(JobStorage storage)
{
    public Task<IReadOnlyList<JobStatus>> ReadAsync() => Task.Run<IReadOnlyList<JobStatus>>(() =>
    {
        using var connection = storage.GetConnection();
        return connection.GetRecurringJobs()
            .OrderBy(j => j.Id, StringComparer.Ordinal)
            .Select(j => new JobStatus(j.Id, Utc(j.LastExecution), j.LastJobState, Utc(j.NextExecution)))
            .ToList();
    });

    private static DateTimeOffset? Utc(DateTime? time) => time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}
