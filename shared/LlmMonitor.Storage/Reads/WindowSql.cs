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
    /// <see cref="Days"/> and <see cref="HoursBesideDays"/> as lists (<see cref="AddPeriodLists"/>), for one tag value:
    /// the rollups' keys put the period before the value, so a range reads every value's rows and a list one per period.
    /// </summary>
    public const string DayList = "day = ANY(@days)";

    public const string HourListBesideDays = "hour = ANY(@hours_beside_days)";

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

    public static void AddPeriodLists(this NpgsqlParameterCollection parameters, WindowPlan plan)
    {
        parameters.Add(TimeList("days", Steps(plan.DayStart, plan.DayEnd, TimeSpan.FromDays(1))));
        parameters.Add(TimeList("hours_beside_days", [.. Steps(plan.HourStart, plan.DayStart, TimeSpan.FromHours(1)),
            .. Steps(plan.DayEnd, plan.HourEnd, TimeSpan.FromHours(1))]));
    }

    /// <summary>The UTC times from <paramref name="from"/> (included) to <paramref name="to"/> (not) every <paramref name="step"/>.</summary>
    public static IEnumerable<DateTime> Steps(DateTimeOffset from, DateTimeOffset to, TimeSpan step)
    {
        for (var t = from; t < to; t += step)
        {
            yield return t.UtcDateTime;
        }
    }

    /// <summary>A timestamptz[] parameter.</summary>
    public static NpgsqlParameter TimeList(string name, IEnumerable<DateTime> times) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = times.ToArray() };

    public static void AddTime(this NpgsqlParameterCollection parameters, string name, DateTimeOffset value) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.TimestampTz) { Value = value.ToUniversalTime() });

    public static void AddText(this NpgsqlParameterCollection parameters, string name, string? value) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });
}
