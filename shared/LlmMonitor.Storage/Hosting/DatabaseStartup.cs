using LlmMonitor.Configuration;
using LlmMonitor.Storage;
using LlmMonitor.Storage.Resilience;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmMonitor.Hosting;

/// <summary>
/// Migrates the schema, seeds the built-in prices and creates the partitions of the accepted window.
/// Start waits for it briefly; if PostgreSQL is down the service still starts and this keeps retrying,
/// so an ingest gateway can take events while the database is away.
/// </summary>
public sealed class DatabaseStartup(
    SchemaMigrator migrator,
    Partitions partitions,
    PriceStore prices,
    TimeProvider clock,
    IOptions<MonitorOptions> options,
    ILogger<DatabaseStartup> log) : BackgroundService
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the schema is in place.</summary>
    public Task Ready => _ready.Task;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken);
        await Task.WhenAny(Ready, Task.Delay(TimeSpan.FromSeconds(15), cancellationToken));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var untilItWorks = PostgresRetry.UntilItWorks(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), retry =>
        {
            if (PostgresFailures.IsTransient(retry.Failure))
            {
                log.LogWarning("Database not ready ({Reason}); retrying in {Delay}", retry.Failure.Message, retry.Delay);
            }
            else
            {
                log.LogError(retry.Failure, "Database setup failed ({Reason}); retrying in {Delay}", retry.Failure.Message, retry.Delay);
            }
        });
        await untilItWorks.ExecuteAsync(async ct =>
        {
            var applied = await migrator.MigrateAsync(ct);
            if (applied.Count > 0)
            {
                log.LogInformation("Applied migrations {Migrations}", string.Join(", ", applied));
            }

            await prices.SeedBuiltInAsync(ct);
            await partitions.EnsureAcceptedWindowAsync(clock.GetUtcNow(), options.Value.RetentionDays, ct);
        }, stoppingToken);
        _ready.TrySetResult();
    }
}
