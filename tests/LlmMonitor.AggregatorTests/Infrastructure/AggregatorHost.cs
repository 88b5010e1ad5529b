using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using LlmMonitor.Jobs;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LlmMonitor.AggregatorTests.Infrastructure;

/// <summary>
/// The aggregator as it runs (its Hangfire servers, queues and retries) over a test database, with a test clock.
/// <see cref="EvaluateAsync"/> runs the alert-evaluate job now, as its schedule would; the schedule itself is taken out,
/// so that no run of its own comes in between a test's steps.
/// </summary>
public sealed class AggregatorHost : IAsyncDisposable
{
    public const string DashboardUrl = "http://dashboard.test";

    private readonly WebApplicationFactory<Program> _factory;

    private AggregatorHost(WebApplicationFactory<Program> factory) => _factory = factory;

    public IServiceProvider Services => _factory.Services;

    public JobStorage Storage => Services.GetRequiredService<JobStorage>();

    public static AggregatorHost Start(TestDatabase db, TimeProvider clock)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("DATABASE_URL", db.ConnectionString)
            .UseSetting("DASHBOARD_URL", DashboardUrl)
            .ConfigureTestServices(s => s.AddSingleton(clock).UseSharedLogging()));
        _ = factory.Server; // starts the host
        var host = new AggregatorHost(factory);
        host.Unschedule(JobIds.AlertEvaluate);
        return host;
    }

    private void Unschedule(string recurringJob)
    {
        var registered = Eventually.GetAsync(() =>
        {
            using var connection = Storage.GetConnection();
            return Task.FromResult(connection.GetRecurringJobs([recurringJob]).SingleOrDefault(j => !j.Removed));
        }, TimeSpan.FromSeconds(30), $"the recurring job {recurringJob}").GetAwaiter().GetResult();
        Services.GetRequiredService<IRecurringJobManager>().RemoveIfExists(registered.Id);
    }

    public async Task<string> EvaluateAsync()
    {
        using var scope = Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IAlertEvaluateJob>().RunAsync(null, CancellationToken.None);
    }

    /// <summary>The job's states, newest first.</summary>
    public IList<StateHistoryDto> History(string jobId) => Storage.GetMonitoringApi().JobDetails(jobId)?.History ?? [];

    /// <summary>Waits until every delivery job in notification_deliveries has succeeded: then nothing more is on its way.</summary>
    public async Task AllDeliveredAsync(TestDatabase db)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var states = await JobStatesAsync(db);
            if (states.All(s => s.State == SucceededState.StateName))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting for every delivery job to succeed: " + string.Join("; ", states.Select(s => $"{s.Id} {s.State} {s.Reason}")));
            }

            await Task.Delay(200);
        }
    }

    private async Task<List<(string? Id, string? State, string? Reason)>> JobStatesAsync(TestDatabase db)
    {
        var states = new List<(string?, string?, string?)>();
        await using var cmd = db.Command("SELECT job_id FROM notification_deliveries ORDER BY id");
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            var id = r.IsDBNull(0) ? null : r.GetString(0);
            var latest = id is null ? null : History(id).FirstOrDefault();
            states.Add((id, latest?.StateName, latest?.Reason));
        }

        return states;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
}
