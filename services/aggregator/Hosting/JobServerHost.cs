using LlmMonitor.Aggregator.Jobs;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using LlmMonitor.Hosting;
using LlmMonitor.Storage.Resilience;

namespace LlmMonitor.Aggregator.Hosting;

/// <summary>
/// Runs the Hangfire server once the schema is in place: registers the recurring jobs, then processes jobs until
/// shutdown. Waits and retries while PostgreSQL is away instead of failing the service's start.
/// </summary>
public sealed class JobServerHost(IServiceProvider services, DatabaseStartup database, ILogger<JobServerHost> log) : BackgroundService
{
    public const int WorkerCount = 4;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.Ready.WaitAsync(stoppingToken);
        var storage = await UntilItWorksAsync("Hangfire storage", () => services.GetRequiredService<JobStorage>(), stoppingToken);
        await UntilItWorksAsync("recurring jobs", () =>
        {
            RecurringJobSchedule.Register(services.GetRequiredService<IRecurringJobManager>());
            return true;
        }, stoppingToken);

        var options = new BackgroundJobServerOptions
        {
            ServerName = $"aggregator:{Environment.MachineName}", // Hangfire adds the process id and a unique suffix
            WorkerCount = WorkerCount,
            // This host's own container and filters, not Hangfire's static ones (tests run several hosts in a process).
            Activator = new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()),
            FilterProvider = services.GetRequiredService<IJobFilterProvider>(),
            SchedulePollingInterval = TimeSpan.FromSeconds(5),
        };
        using var server = new BackgroundJobServer(options, storage);
        log.LogInformation("Hangfire server {Server} started with {Workers} workers", options.ServerName, WorkerCount);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            server.SendStop();
            await server.WaitForShutdownAsync(CancellationToken.None);
        }
    }

    private async Task<T> UntilItWorksAsync<T>(string what, Func<T> action, CancellationToken ct) =>
        await PostgresRetry.UntilItWorks(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), retry =>
                log.LogWarning("{What} not ready ({Reason}); retrying in {Delay}", what, retry.Failure.Message, retry.Delay))
            .ExecuteAsync(_ => ValueTask.FromResult(action()), ct);
}
