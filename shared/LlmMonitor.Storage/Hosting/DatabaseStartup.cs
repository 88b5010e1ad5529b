using LlmMonitor.Configuration;
using LlmMonitor.Storage;
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
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var applied = await migrator.MigrateAsync(stoppingToken);
                if (applied.Count > 0)
                {
                    log.LogInformation("Applied migrations {Migrations}", string.Join(", ", applied));
                }

                await prices.SeedBuiltInAsync(stoppingToken);
                await partitions.EnsureAcceptedWindowAsync(clock.GetUtcNow(), options.Value.RetentionDays, stoppingToken);
                _ready.TrySetResult();
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning("Database not ready ({Reason}); retrying in {Delay}", e.Message, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
            }
        }
    }
}
