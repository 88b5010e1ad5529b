using LlmMonitor.Aggregator.Jobs;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using LlmMonitor.Hosting;
using LlmMonitor.Jobs;
using LlmMonitor.Storage.Resilience;

namespace LlmMonitor.Aggregator.Hosting;

/// <summary>
/// Runs the Hangfire servers once the schema is in place: registers the recurring jobs, then processes jobs until
/// shutdown. Waits and retries while PostgreSQL is away instead of failing the service's start. Notifications have a
/// server (workers) of their own, so that receivers that are slow or down never hold up the other jobs.
/// </summary>
public sealed class JobServerHost(IServiceProvider services, DatabaseStartup database, ILogger<JobServerHost> log) : BackgroundService
{
    public const int WorkerCount = 4;

    /// <summary>Deliveries waiting on receivers (up to the 10 s timeout each) at once.</summary>
    public const int NotificationWorkerCount = 8;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.Ready.WaitAsync(stoppingToken);
        var storage = await UntilItWorksAsync("Hangfire storage", () => services.GetRequiredService<JobStorage>(), stoppingToken);
        await UntilItWorksAsync("recurring jobs", () =>
        {
            RecurringJobSchedule.Register(services.GetRequiredService<IRecurringJobManager>());
            return true;
        }, stoppingToken);

        using var server = new BackgroundJobServer(Options("aggregator", WorkerCount, JobQueues.Default), storage);
        using var notifier = new BackgroundJobServer(Options("aggregator-notifications", NotificationWorkerCount, JobQueues.Notifications), storage);
        log.LogInformation("Hangfire servers started: {Workers} workers, and {NotificationWorkers} for notifications", WorkerCount, NotificationWorkerCount);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            server.SendStop();
            notifier.SendStop();
            await Task.WhenAll(server.WaitForShutdownAsync(CancellationToken.None), notifier.WaitForShutdownAsync(CancellationToken.None));
        }
    }

    private BackgroundJobServerOptions Options(string name, int workers, string queue) => new()
    {
        ServerName = $"{name}:{Environment.MachineName}", // Hangfire adds the process id and a unique suffix
        WorkerCount = workers,
        Queues = [queue],
        // This host's own container and filters, not Hangfire's static ones (tests run several hosts in a process).
        Activator = new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()),
        FilterProvider = services.GetRequiredService<IJobFilterProvider>(),
        SchedulePollingInterval = TimeSpan.FromSeconds(5),
    };

    private async Task<T> UntilItWorksAsync<T>(string what, Func<T> action, CancellationToken ct) =>
        await PostgresRetry.UntilItWorks(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), retry =>
                log.LogWarning("{What} not ready ({Reason}); retrying in {Delay}", what, retry.Failure.Message, retry.Delay))
            .ExecuteAsync(_ => ValueTask.FromResult(action()), ct);
}
