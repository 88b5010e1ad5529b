using LlmMonitor.Storage.Reads;
using LlmMonitor.WebUi.Queries;

namespace LlmMonitor.WebUi.Tests;

public sealed class ModelSpanPlanTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static readonly DateTimeOffset Now = At("2026-11-20T09:40:00Z");
    private static readonly DateTimeOffset Until = At("2026-11-20T09:00:00Z");
    private static readonly RecentSpan[] Spans = [new(168, Until.AddHours(-168), Until), new(720, Until.AddHours(-720), Until)];

    [Fact]
    public void The_last_7_days_subtract_the_start_hour_and_add_from_the_end_of_the_totals()
    {
        var plan = ModelSpanPlan.For(new TimeWindow(Now.AddDays(-7), Now), Spans, Now)!;

        Assert.Equal((168, At("2026-11-13T10:00:00Z"), Until), (plan.SpanHours, plan.StartHour, plan.EndHour));
    }

    [Fact]
    public void A_window_inside_the_30_days_subtracts_the_hours_before_and_after_it()
    {
        var plan = ModelSpanPlan.For(new TimeWindow(At("2026-10-22T07:20:00Z"), At("2026-11-18T16:45:00Z")), Spans, Now)!;

        Assert.Equal((720, At("2026-10-22T07:00:00Z"), At("2026-11-18T17:00:00Z")), (plan.SpanHours, plan.StartHour, plan.EndHour));
        Assert.Equal(TimeSpan.FromHours(22 + 40), plan.Subtracted); // from 2026-10-21T09:00, and to 2026-11-20T09:00
    }

    [Theory]
    [InlineData("2026-11-19T09:40:00Z", "2026-11-20T09:40:00Z")] // a day: more beyond it than in it, read directly
    [InlineData("2026-11-01T00:00:00Z", "2026-11-10T00:00:00Z")] // 9 days inside the 30: 21 beyond
    [InlineData("2026-10-25T00:00:00Z", "2026-11-14T00:00:00Z")] // 20 days inside the 30: 10 beyond, more than a quarter
    [InlineData("2026-10-20T00:00:00Z", "2026-11-20T09:40:00Z")] // starts before every span
    public void Windows_with_more_beyond_them_than_in_them_or_outside_every_span_are_not_served(string start, string end) =>
        Assert.Null(ModelSpanPlan.For(new TimeWindow(At(start), At(end)), Spans, Now));

    [Fact]
    public void Totals_that_upkeep_left_more_than_two_hours_behind_serve_nothing() =>
        Assert.Null(ModelSpanPlan.For(new TimeWindow(Now.AddDays(-7), Now), Spans, Now.AddHours(3)));
}
