using Npgsql;

namespace LlmMonitor.WebUi.Queries;

/// <summary>
/// When a window is ranked from the last day's totals (<see cref="RecentRanking"/>), which hold the hours
/// [<see cref="Since"/>, <see cref="Until"/>): the window starts at most <see cref="MaxLead"/> after them and ends after
/// them, within <see cref="RunningTotalPlan.MaxTail"/> of now, and they end at most <see cref="MaxLead"/> before now.
/// So the corrections at either edge are at most about two hours of rows. In practice: the last 24 hours.
/// </summary>
public sealed record RecentTotalPlan(DateTimeOffset Since, DateTimeOffset Until, DateTimeOffset StartHour, DateTimeOffset TailHour)
{
    /// <summary>Two hours: the hour the totals move by, and one more for a late or failed upkeep run.</summary>
    public static readonly TimeSpan MaxLead = TimeSpan.FromHours(2);

    /// <param name="hours">The hours the totals hold (llm_tag_recent_since), or null without them.</param>
    public static RecentTotalPlan? For(TimeWindow window, (DateTimeOffset Since, DateTimeOffset Until)? hours, DateTimeOffset now)
    {
        var (start, end) = (window.Start.ToUniversalTime(), window.End.ToUniversalTime());
        if (hours is not var (since, until) || start < since || start - since > MaxLead || end < until || until < now - MaxLead
            || end < now - RunningTotalPlan.MaxTail)
        {
            return null;
        }

        return new(since, until, TimeWindow.FloorHour(start), TimeWindow.CeilHour(end));
    }

    public void AddTo(NpgsqlParameterCollection parameters)
    {
        parameters.AddTime("since", Since);
        parameters.AddTime("until", Until);
        parameters.AddTime("h0", StartHour);
        parameters.AddTime("th", TailHour);
    }
}
