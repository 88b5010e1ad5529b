using Npgsql;

namespace LlmMonitor.Storage;

public static class MonitorDatabase
{
    /// <summary>A data source whose sessions run in UTC (hour buckets and day partitions are UTC).</summary>
    public static NpgsqlDataSource Create(string connectionString, string? schema = null)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.Timezone = "UTC";
        if (schema is not null)
        {
            builder.ConnectionStringBuilder.SearchPath = schema;
        }

        return builder.Build();
    }
}
