using Npgsql;
using NpgsqlTypes;

namespace LlmMonitor.Storage.Reads;

/// <summary>The SQL pieces that read a <see cref="TimeWindow"/> from the rollups and the raw edges.</summary>
public static class WindowSql
{
    /// <summary>Whole hours of the window (the hourly rollups).</summary>
    public const string Hours = "hour >= @h0 AND hour < @h1";

    /// <summary>Whole hours outside the whole days (the hourly rollups beside the daily ones).</summary>
    public const string HoursBesideDays = "((hour >= @h0 AND hour < @d0) OR (hour >= @d1 AND hour < @h1))";

    /// <summary>Whole days of the window (the daily rollups).</summary>
    public const string Days = "day >= @d0 AND day < @d1";

    /// <summary>The raw edges of the window: llm_events rows of [Start, HourStart) and [HourEnd, End), as a subquery.</summary>
    public static string RawEdges(string columns, string? where = null)
    {
        var extra = where is null ? "" : $" AND ({where})";
        return $"""
            (SELECT {columns} FROM llm_events WHERE timestamp >= @ra0 AND timestamp < @ra1{extra}
             UNION ALL
             SELECT {columns} FROM llm_events WHERE timestamp >= @rb0 AND timestamp < @rb1{extra})
            """;
    }

    public static void AddWindow(this NpgsqlParameterCollection parameters, TimeWindow window)
    {
        parameters.AddTime("ra0", window.RawHead.From);
        parameters.AddTime("ra1", window.RawHead.To);
        parameters.AddTime("rb0", window.RawTail.From);
        parameters.AddTime("rb1", window.RawTail.To);
        parameters.AddTime("h0", window.HourStart);
        parameters.AddTime("h1", window.HourEnd);
        parameters.AddTime("d0", window.DayStart);
        parameters.AddTime("d1", window.DayEnd);
    }

    public static void AddTime(this NpgsqlParameterCollection parameters, string name, DateTimeOffset value) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.TimestampTz) { Value = value.ToUniversalTime() });

    public static void AddText(this NpgsqlParameterCollection parameters, string name, string? value) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });
}
