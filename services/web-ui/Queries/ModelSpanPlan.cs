using Npgsql;

namespace LlmMonitor.WebUi.Queries;

/// <summary>
/// When a window with a model is ranked from the recent totals per model of one span (<see cref="RecentRows.OneModel"/>),
/// which hold the hours [<see cref="Since"/>, <see cref="Until"/>): the window lies in the span or runs on past its
/// end, and what the totals hold beyond the window, [since, <see cref="StartHour"/>) and [<see cref="EndHour"/>, until),
/// is under a quarter of the window: each value subtracted is then also looked up in the totals, so that only pays
/// when it reads far fewer rows than summing the window's (on 10M calls, the hours of three weeks took 0.5 s either
/// way; 29 of the 30 days from the totals take ~50 ms). <see cref="StartHour"/> and <see cref="EndHour"/> are
/// the edges' nearest hours (the end's is <see cref="Until"/> when the window ends after it).
/// </summary>
public sealed record ModelSpanPlan(int SpanHours, DateTimeOffset Since, DateTimeOffset Until, DateTimeOffset StartHour, DateTimeOffset EndHour)
{
    public static ModelSpanPlan? For(TimeWindow window, IEnumerable<RecentSpan> spans, DateTimeOffset now)
    {
        var (start, end) = (window.Start.ToUniversalTime(), window.End.ToUniversalTime());
        return spans
            .Where(s => start >= s.Since && s.Until >= now - RecentTotalPlan.MaxLead)
            .Select(s => new ModelSpanPlan(s.Hours, s.Since, s.Until, RecentTotalPlan.NearestHour(start),
                end >= s.Until ? s.Until : RecentTotalPlan.NearestHour(end)))
            .Where(p => p.EndHour >= p.StartHour && p.Subtracted * 4 < end - start)
            .OrderBy(p => p.Subtracted)
            .FirstOrDefault();
    }

    /// <summary>The hours the totals hold beyond the window.</summary>
    public TimeSpan Subtracted => StartHour - Since + (Until - EndHour);

    public void AddTo(NpgsqlParameterCollection parameters)
    {
        parameters.AddWithValue("span", SpanHours);
        parameters.AddTime("since", Since);
        parameters.AddTime("until", Until);
        parameters.AddTime("h0", StartHour);
        parameters.AddTime("e0", EndHour);
    }
}
