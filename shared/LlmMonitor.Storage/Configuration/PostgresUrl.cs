using Npgsql;

namespace LlmMonitor.Configuration;

/// <summary>Accepts DATABASE_URL as a postgres:// URI or as an Npgsql connection string.</summary>
public static class PostgresUrl
{
    public static string ToConnectionString(string databaseUrl)
    {
        if (!databaseUrl.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            && !databaseUrl.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new NpgsqlConnectionStringBuilder(databaseUrl).ConnectionString;
        }

        var uri = new Uri(databaseUrl);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "postgres",
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var (key, value) in QueryParameters(uri.Query))
        {
            var (name, npgsqlValue) = ToNpgsql(key, value);
            try
            {
                builder[name] = npgsqlValue;
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"DATABASE_URL: unsupported parameter '{key}={value}'", e);
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>libpq's URI parameter names and values, as Npgsql names them.</summary>
    private static (string Name, string Value) ToNpgsql(string key, string value) => key.ToLowerInvariant() switch
    {
        "sslmode" => ("SSL Mode", value.ToLowerInvariant() switch
        {
            "verify-ca" => "VerifyCA",
            "verify-full" => "VerifyFull",
            _ => value,
        }),
        "application_name" => ("Application Name", value),
        "connect_timeout" => ("Timeout", value),
        "options" => ("Options", value),
        "target_session_attrs" => ("Target Session Attributes", value),
        _ => (key.Replace('_', ' '), value),
    };

    private static IEnumerable<(string Key, string Value)> QueryParameters(string query) =>
        query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Uri.UnescapeDataString(p[0]), p.Length == 2 ? Uri.UnescapeDataString(p[1]) : ""));
}
