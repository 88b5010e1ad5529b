using Npgsql;

namespace LlmMonitor.WebUi.Queries;

/// <summary>
/// When a window is ranked from the last day's totals (<see cref="RecentRanking"/>): it starts at most
/// <see cref="MaxLead"/> after the totals do (so the corrections at its start are at most that long) and ends within
/// <see cref="RunningTotalPlan.MaxTail"/> of now. In practice: the last 24 hours.
/// </summary>
public sealed record RecentTotalPlan(DateTimeOffset Since, DateTimeOffset StartHour, DateTimeOffset TailHour)
{
    /// <summary>Two hours: the hour the totals move up by, and one more for a late or failed upkeep run.</summary>
    public static readonly TimeSpan MaxLead = TimeSpan.FromHours(2);

    /// <param name="since">Where the totals start (llm_tag_recent_since), or null before migration 0009's data.</param>
    public static RecentTotalPlan? For(TimeWindow window, DateTimeOffset? since, DateTimeOffset now)
    {
        var start = window.Start.ToUniversalTime();
        if (since is not { } s || start < s || start - s > MaxLead || window.End < now - RunningTotalPlan.MaxTail)
        {
            return null;
        }

        return new(s, TimeWindow.FloorHour(start), TimeWindow.CeilHour(window.End.ToUniversalTime()));
    }

    public void AddTo(NpgsqlParameterCollection parameters)
    {
        parameters.AddTime("since", Since);
        parameters.AddTime("h0", StartHour);
        parameters.AddTime("th", TailHour);
    }
}
