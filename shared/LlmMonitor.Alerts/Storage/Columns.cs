using Npgsql;

namespace LlmMonitor.Alerts.Storage;

/// <summary>Nullable columns of the alert and budget tables.</summary>
internal static class Columns
{
    public static DateTimeOffset? TimeOrNull(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);

    public static string? TextOrNull(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static double? DoubleOrNull(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
}
