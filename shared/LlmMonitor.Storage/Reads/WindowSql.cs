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

    /// <summary>
    /// The raw edges of the window as a subquery: llm_events rows of the plan's head and tail ranges, each with a
    /// column sign (1, or -1 for a range subtracted from its hour's rollup; always 1 for a plain window).
    /// </summary>
    public static string RawEdges(string columns, string? where = null)
    {
        var extra = where is null ? "" : $" AND ({where})";
        return $"""
            (SELECT {columns}, @ras AS sign FROM llm_events WHERE timestamp >= @ra0 AND timestamp < @ra1{extra}
             UNION ALL
             SELECT {columns}, @rbs FROM llm_events WHERE timestamp >= @rb0 AND timestamp < @rb1{extra})
            """;
    }

    /// <summary>The window's own hours and edges (every raw row added).</summary>
    public static void AddWindow(this NpgsqlParameterCollection parameters, TimeWindow window) =>
        parameters.AddWindow(WindowPlan.Added(window));

    /// <summary>A plan's hours and signed edges; only for queries that multiply every raw row by its sign.</summary>
    public static void AddWindow(this NpgsqlParameterCollection parameters, WindowPlan plan)
    {
        parameters.AddTime("ra0", plan.Head.From);
        parameters.AddTime("ra1", plan.Head.To);
        parameters.Add(new NpgsqlParameter("ras", NpgsqlDbType.Integer) { Value = plan.Head.Sign });
        parameters.AddTime("rb0", plan.Tail.From);
        parameters.AddTime("rb1", plan.Tail.To);
        parameters.Add(new NpgsqlParameter("rbs", NpgsqlDbType.Integer) { Value = plan.Tail.Sign });
        parameters.AddTime("h0", plan.HourStart);
        parameters.AddTime("h1", plan.HourEnd);
        parameters.AddTime("d0", plan.DayStart);
        parameters.AddTime("d1", plan.DayEnd);
    }

    public static void AddTime(this NpgsqlParameterCollection parameters, string name, DateTimeOffset value) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.TimestampTz) { Value = value.ToUniversalTime() });

    public static void AddText(this NpgsqlParameterCollection parameters, string name, string? value) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });
}
