using Npgsql;

namespace LlmMonitor.WebUi.Queries;

/// <summary>
/// How a window's sums per tag value are read from the running totals (migrations 0006, 0013): the 'infinity' row (the
/// hours before <see cref="Latest"/>, the latest boundary) and the hourly rows from it to the hour after the window's
/// end, minus the row at <see cref="Bound"/>, the boundary nearest the window's start (a UTC midnight, or an hour of the
/// last two days), plus (or minus, when the boundary is before the start) the hours and raw minutes between the two,
/// minus the raw minutes from the window's end on. About 12 hours of hourly rows at most however long the window,
/// against one row per value and day (or hour) of it.
/// </summary>
public sealed record RunningTotalPlan(
    DateTimeOffset Latest,
    DateTimeOffset Bound,
    int Sign,
    (DateTimeOffset From, DateTimeOffset To) Hours,
    (DateTimeOffset From, DateTimeOffset To) Raw,
    DateTimeOffset TailHour,
    (DateTimeOffset From, DateTimeOffset To) TailRaw)
{
    /// <summary>Below this the window's own rollup rows are fewer than two running-total rows per value.</summary>
    public static readonly TimeSpan MinWindow = TimeSpan.FromHours(24);

    /// <summary>A window ending earlier than this before now would subtract more hours after it than it saves.</summary>
    public static readonly TimeSpan MaxTail = TimeSpan.FromHours(1);

    /// <summary>The plan for the window, or null when reading the window's rollups directly is cheaper or the only way.</summary>
    /// <param name="bounds">The boundaries that have running totals (llm_tag_running_total_bounds).</param>
    public static RunningTotalPlan? For(TimeWindow window, IReadOnlyCollection<DateTimeOffset> bounds, DateTimeOffset now)
    {
        if (window.Length < MinWindow || window.End < now - MaxTail)
        {
            return null;
        }

        var (start, end) = (window.Start.ToUniversalTime(), window.End.ToUniversalTime());
        var bound = new[] { TimeWindow.FloorHour(start), TimeWindow.CeilHour(start), TimeWindow.FloorDay(start), TimeWindow.CeilDay(start) }
            .Where(b => b <= end && bounds.Contains(b))
            .OrderBy(b => (b - start).Duration())
            .Cast<DateTimeOffset?>()
            .FirstOrDefault();
        if (bound is not { } b)
        {
            return null;
        }

        var tail = ((end, TimeWindow.CeilHour(end)), TimeWindow.CeilHour(end));
        var latest = bounds.Max();
        return b <= start
            ? new(latest, b, -1, (b, TimeWindow.FloorHour(start)), (TimeWindow.FloorHour(start), start), tail.Item2, tail.Item1)
            : new(latest, b, 1, (TimeWindow.CeilHour(start), b), (start, TimeWindow.CeilHour(start)), tail.Item2, tail.Item1);
    }

    public void AddTo(NpgsqlParameterCollection parameters)
    {
        parameters.AddTime("latest", Latest);
        parameters.AddTime("bound", Bound);
        parameters.AddWithValue("sign", Sign);
        parameters.AddTime("ch0", Hours.From);
        parameters.AddTime("ch1", Hours.To);
        parameters.AddTime("cr0", Raw.From);
        parameters.AddTime("cr1", Raw.To);
        parameters.AddTime("th", TailHour);
        parameters.AddTime("tr0", TailRaw.From);
        parameters.AddTime("tr1", TailRaw.To);
    }
}
