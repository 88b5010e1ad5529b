using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using LlmMonitor.Aggregator.Jobs;
using LlmMonitor.AggregatorTests.Infrastructure;
using LlmMonitor.Jobs;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LlmMonitor.AggregatorTests;

/// <summary>The aggregator as it runs: Hangfire server, recurring jobs in storage, jobs run from the queue.</summary>
public sealed class AggregatorHostTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day10 = new(2025, 6, 10, 0, 0, 0, TimeSpan.Zero);
    private TestDatabase _db = null!;
    private WebApplicationFactory<Program> _aggregator = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _aggregator = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("DATABASE_URL", _db.ConnectionString)
            .UseSetting("Logging:LogLevel:Default", "Warning")
            .ConfigureTestServices(s => s.UseSharedLogging()));
        _ = _aggregator.Server; // starts the host
    }

    public async Task DisposeAsync()
    {
        await _aggregator.DisposeAsync();
        await _db.DisposeAsync();
    }

    private JobStorage Storage => _aggregator.Services.GetRequiredService<JobStorage>();

    [Fact]
    public async Task The_recurring_jobs_are_registered_by_id_in_the_hangfire_schema_and_run()
    {
        var recurring = await Eventually.GetAsync(() =>
        {
            using var connection = Storage.GetConnection();
            var jobs = connection.GetRecurringJobs();
            return Task.FromResult(jobs.Count == 6 ? jobs : null);
        }, TimeSpan.FromSeconds(30), "the recurring jobs");

        Assert.Equal(
            [JobIds.AlertEvaluate, JobIds.ModelTagRollup, JobIds.PartitionUpkeep, JobIds.Reprice, JobIds.Retention, JobIds.RollupCheck],
            recurring.Select(j => j.Id).Order(StringComparer.Ordinal));
        Assert.All(recurring, j => Assert.Equal("UTC", j.TimeZoneId));
        Assert.Equal(6, await _db.ScalarAsync<long>("SELECT count(*) FROM hangfire.hash WHERE key LIKE 'recurring-job:%' AND field = 'Cron'"));
        Assert.Equal("* * * * *", recurring.Single(j => j.Id == JobIds.AlertEvaluate).Cron);

        _aggregator.Services.GetRequiredService<IRecurringJobManager>().Trigger(JobIds.PartitionUpkeep);
        var jobId = await Eventually.GetAsync(() =>
        {
            using var connection = Storage.GetConnection();
            return Task.FromResult<string?>(connection.GetRecurringJobs([JobIds.PartitionUpkeep])[0].LastJobId);
        }, TimeSpan.FromSeconds(30), "the triggered job");
        var result = await SucceededAsync(jobId);
        Assert.Contains("partitions created", result);
    }

    [Fact]
    public async Task A_reprice_enqueued_through_the_storage_runs_and_shows_its_progress()
    {
        var book = await StoredEvents.BookAsync(_db);
        await _db.Writer.WriteAsync([.. TestEvents.Spread(book, "gpt-4o", Day10, TimeSpan.FromDays(3), 300, 1)]);
        await StoredEvents.SetPriceAsync(_db, "gpt-4o", Day10.AddDays(1), 3m, 12m, 1.5m);

        var jobId = _aggregator.Services.GetRequiredService<IBackgroundJobClient>().EnqueueReprice("gpt-4o", Day10.AddDays(1));

        var result = await SucceededAsync(jobId);
        Assert.Contains("Re-priced gpt-4o", result);
        var details = Storage.GetMonitoringApi().JobDetails(jobId);
        Assert.Matches("([0-9]+) of \\1 days done", details.Properties[HangfireJobProgress.Parameter]);
        Assert.Equal(1, Storage.GetMonitoringApi().ScheduledCount()); // the settling pass
        book = await StoredEvents.BookAsync(_db);
        Assert.All((await StoredEvents.LoadAsync(_db)).Values, e => Assert.Equal(e.CatalogueCost(book), e.Cost));
        await RollupAssert.EqualsGroupByAsync(_db);
    }

    private async Task<string> SucceededAsync(string jobId)
    {
        var state = await Eventually.GetAsync(() =>
        {
            var history = Storage.GetMonitoringApi().JobDetails(jobId)?.History;
            var current = history is { Count: > 0 } ? history[0] : null;
            Assert.NotEqual(FailedState.StateName, current?.StateName);
            return Task.FromResult(current?.StateName == SucceededState.StateName ? current : null);
        }, TimeSpan.FromSeconds(60), $"job {jobId} to succeed");
        return state.Data["Result"];
    }
}
