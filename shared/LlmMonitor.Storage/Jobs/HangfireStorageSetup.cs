using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using LlmMonitor.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LlmMonitor.Jobs;

/// <summary>Hangfire's storage: the monitor's PostgreSQL database, schema "hangfire".</summary>
public static class HangfireStorageSetup
{
    public const string Schema = "hangfire";

    /// <summary>
    /// Registers the job storage and Hangfire's client services (enqueue, recurring jobs, dashboard), without a
    /// server. The storage is this service's own instance rather than Hangfire's static one, and is created on first
    /// use, so a service starts while PostgreSQL is away.
    /// </summary>
    public static IHostApplicationBuilder AddMonitorHangfireStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<JobStorage>(sp => Create(sp.GetRequiredService<IOptions<MonitorOptions>>().Value.PostgresConnectionString));
        builder.Services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        return builder;
    }

    public static PostgreSqlStorageOptions StorageOptions() => new()
    {
        SchemaName = Schema,
        PrepareSchemaIfNecessary = true,
        // A job of a crashed aggregator goes back to the queue within minutes; a live one keeps extending its claim.
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = TimeSpan.FromMinutes(5),
        QueuePollInterval = TimeSpan.FromSeconds(1),
        DistributedLockTimeout = TimeSpan.FromMinutes(1),
    };

    /// <summary>Creates the storage, installing or upgrading its schema under an advisory lock (services start together).</summary>
    public static PostgreSqlStorage Create(string connectionString)
    {
        var options = StorageOptions();
        using var conn = new NpgsqlConnection(connectionString);
        conn.Open();
        Execute(conn, "SELECT pg_advisory_lock(hashtext('llm_monitor_hangfire_schema'))");
        try
        {
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options, null), options);
        }
        finally
        {
            Execute(conn, "SELECT pg_advisory_unlock(hashtext('llm_monitor_hangfire_schema'))");
        }
    }

    private static void Execute(NpgsqlConnection conn, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, conn);
        cmd.ExecuteNonQuery();
    }
}
