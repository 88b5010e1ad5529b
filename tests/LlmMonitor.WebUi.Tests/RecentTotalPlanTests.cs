using LlmMonitor.Storage.Reads;
using LlmMonitor.WebUi.Queries;

namespace LlmMonitor.WebUi.Tests;

public sealed class RecentTotalPlanTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static readonly DateTimeOffset Now = At("2026-11-20T09:40:00Z");
    private static readonly (DateTimeOffset, DateTimeOffset) Hours = (At("2026-11-19T09:00:00Z"), At("2026-11-20T09:00:00Z"));
    private static readonly RecentSpan[] Spans = [Span(24), Span(168), Span(720)];

    private static RecentSpan Span(int hours, int lateBy = 0) =>
        new(hours, At("2026-11-20T09:00:00Z").AddHours(-hours - lateBy), At("2026-11-20T09:00:00Z").AddHours(-lateBy));

    [Fact]
    public void The_last_day_corrects_from_the_start_of_the_totals_to_the_hour_nearest_its_start_and_from_their_end_to_the_hour_after_its_end()
    {
        var plan = RecentTotalPlan.For(new TimeWindow(Now.AddDays(-1), Now), Spans, Now)!;

        Assert.Equal(24, plan.SpanHours);
        Assert.Equal((Hours, At("2026-11-19T10:00:00Z"), At("2026-11-20T10:00:00Z")), ((plan.Since, plan.Until), plan.StartHour, plan.TailHour));
    }

    [Theory]
    [InlineData("2026-11-19T10:59:00Z", "2026-11-19T11:00:00Z")] // up to two hours after the totals, the hours between
    [InlineData("2026-11-19T10:10:00Z", "2026-11-19T10:00:00Z")] // 10 minutes past: its own hour, 10 raw minutes less
    [InlineData("2026-11-19T10:30:00Z", "2026-11-19T10:00:00Z")] // half past: its own hour
    [InlineData("2026-11-19T10:31:00Z", "2026-11-19T11:00:00Z")] // later: the next hour, 29 raw minutes more
    [InlineData("2026-11-19T10:00:00Z", "2026-11-19T10:00:00Z")] // on the hour: no raw minutes
    public void The_start_is_corrected_from_its_nearest_hour(string start, string hour)
    {
        var plan = RecentTotalPlan.For(new TimeWindow(At(start), Now), Spans, Now)!;

        Assert.Equal(At(hour), plan.StartHour);
    }

    [Theory]
    [InlineData(7, 168)]
    [InlineData(30, 720)]
    public void A_week_and_a_month_are_served_by_their_own_span(int days, int span)
    {
        var plan = RecentTotalPlan.For(new TimeWindow(Now.AddDays(-days), Now), Spans, Now)!;

        Assert.Equal((span, Now.AddDays(-days).AddMinutes(-40), At("2026-11-20T10:00:00Z")), (plan.SpanHours, plan.Since, plan.TailHour));
    }

    [Theory]
    [InlineData("2026-11-19T08:59:00Z", "2026-11-20T09:40:00Z")] // before the totals start
    [InlineData("2026-11-19T11:01:00Z", "2026-11-20T09:40:00Z")] // more than two hours after: read directly
    [InlineData("2026-11-19T09:30:00Z", "2026-11-20T08:50:00Z")] // ends before the totals do
    public void Other_windows_are_not_served(string start, string end) =>
        Assert.Null(RecentTotalPlan.For(new TimeWindow(At(start), At(end)), Spans, Now));

    [Fact]
    public void Totals_left_behind_by_a_stopped_upkeep_serve_nothing() =>
        Assert.Null(RecentTotalPlan.For(new TimeWindow(Now.AddDays(-1), Now), [Span(24, lateBy: 2)], Now.AddHours(1)));

    [Fact]
    public void Without_totals_nothing_is_served() => Assert.Null(RecentTotalPlan.For(new TimeWindow(Now.AddDays(-1), Now), [], Now));
}
