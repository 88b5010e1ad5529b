using LlmMonitor.Storage.Resilience;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace LlmMonitor.Hosting;

/// <summary>Ready when PostgreSQL answers and this service's schema migration has finished.</summary>
public sealed class PostgresHealthCheck(NpgsqlDataSource db, ReadRetry retry, DatabaseStartup startup) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!startup.Ready.IsCompleted)
        {
            return HealthCheckResult.Unhealthy("Migrating the schema");
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await retry.RunAsync(async ct =>
            {
                await using var cmd = db.CreateCommand("SELECT 1");
                return await cmd.ExecuteScalarAsync(ct);
            }, timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (PostgresFailures.IsUnreachable(e) || e is OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is unreachable", e);
        }
    }
}
