using Npgsql;

namespace LlmMonitor.WebUi.Queries;

/// <summary>
/// When a window is ranked from the recent totals of one span (<see cref="RecentRanking"/>), which hold the hours
/// [<see cref="Since"/>, <see cref="Until"/>): the window starts at most <see cref="MaxLead"/> after them and ends after
/// them, within <see cref="MaxTail"/> of now, and they end at most <see cref="MaxLead"/> before now.
/// So the corrections at either edge are at most about two hours of rows. In practice: the last 24 hours, 7 or 30 days.
/// <see cref="StartHour"/> is the start's own hour or the next, whichever is nearer: the raw calls between it and the
/// start are then at most half an hour's (subtracted before the start, added after it).
/// </summary>
public sealed record RecentTotalPlan(int SpanHours, DateTimeOffset Since, DateTimeOffset Until, DateTimeOffset StartHour, DateTimeOffset TailHour)
{
    /// <summary>Two hours: the hour the totals move by, and one more for a late or failed upkeep run.</summary>
    public static readonly TimeSpan MaxLead = TimeSpan.FromHours(2);

    /// <summary>Windows ending longer than this before now would subtract more hours after them than they save.</summary>
    public static readonly TimeSpan MaxTail = TimeSpan.FromHours(1);

    /// <param name="spans">The hours each span's totals hold (llm_tag_recent_since).</param>
    public static RecentTotalPlan? For(TimeWindow window, IEnumerable<RecentSpan> spans, DateTimeOffset now)
    {
        var (start, end) = (window.Start.ToUniversalTime(), window.End.ToUniversalTime());
        if (end < now - MaxTail)
        {
            return null;
        }

        return spans
            .Where(s => start >= s.Since && start - s.Since <= MaxLead && end >= s.Until && s.Until >= now - MaxLead)
            .OrderBy(s => start - s.Since)
            .Select(s => new RecentTotalPlan(s.Hours, s.Since, s.Until, NearestHour(start), TimeWindow.CeilHour(end)))
            .FirstOrDefault();
    }

    internal static DateTimeOffset NearestHour(DateTimeOffset t) =>
        t - TimeWindow.FloorHour(t) <= TimeWindow.CeilHour(t) - t ? TimeWindow.FloorHour(t) : TimeWindow.CeilHour(t);

    public void AddTo(NpgsqlParameterCollection parameters)
    {
        parameters.AddWithValue("span", SpanHours);
        parameters.AddTime("since", Since);
        parameters.AddTime("until", Until);
        parameters.AddTime("h0", StartHour);
        parameters.AddTime("th", TailHour);
    }
}

/// <summary>A row of llm_tag_recent_since: the span's totals hold the hours [<see cref="Since"/>, <see cref="Until"/>).</summary>
public sealed record RecentSpan(int Hours, DateTimeOffset Since, DateTimeOffset Until);
