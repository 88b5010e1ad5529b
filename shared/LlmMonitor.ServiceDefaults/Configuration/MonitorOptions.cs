using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace LlmMonitor.Configuration;

/// <summary>The environment variables of the README's Configuration section, bound once and validated on start.</summary>
public sealed class MonitorOptions
{
    public const string DefaultDatabaseUrl = "postgres://postgres:postgres@localhost:5432/llm_monitor";
    public const string DefaultRabbitMqUrl = "amqp://guest:guest@localhost:5672/";

    [ConfigurationKeyName("DATABASE_URL")]
    public string DatabaseUrl { get; set; } = DefaultDatabaseUrl;

    [ConfigurationKeyName("RABBITMQ_URL")]
    public string RabbitMqUrl { get; set; } = DefaultRabbitMqUrl;

    [ConfigurationKeyName("RETENTION_DAYS")]
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 30;

    [ConfigurationKeyName("ROLLUP_RETENTION_DAYS")]
    [Range(1, 36500)]
    public int RollupRetentionDays { get; set; } = 400;

    [ConfigurationKeyName("INGEST_API_KEYS")]
    public string? IngestApiKeys { get; set; }

    [ConfigurationKeyName("ADMIN_PASSWORD")]
    public string? AdminPassword { get; set; }

    /// <summary>The web-ui's address as its users reach it: the links in alert and budget notifications start with it.</summary>
    [ConfigurationKeyName("DASHBOARD_URL")]
    [Url]
    public string DashboardUrl { get; set; } = DefaultDashboardUrl;

    public const string DefaultDashboardUrl = "http://localhost:3000";

    public IReadOnlyList<string> ApiKeys =>
        (IngestApiKeys ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
