namespace LlmMonitor.Configuration;

public static class DatabaseOptions
{
    extension(MonitorOptions options)
    {
        /// <summary>DATABASE_URL as an Npgsql connection string.</summary>
        public string PostgresConnectionString => PostgresUrl.ToConnectionString(options.DatabaseUrl);
    }
}
