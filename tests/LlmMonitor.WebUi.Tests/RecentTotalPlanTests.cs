using LlmMonitor.Storage.Reads;
using LlmMonitor.WebUi.Queries;

namespace LlmMonitor.WebUi.Tests;

public sealed class RecentTotalPlanTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static readonly DateTimeOffset Now = At("2026-11-20T09:40:00Z");
    private static readonly DateTimeOffset Since = At("2026-11-19T09:00:00Z");

    [Fact]
    public void The_last_day_subtracts_from_the_start_of_the_totals_to_its_own_and_from_the_hour_of_its_end()
    {
        var plan = RecentTotalPlan.For(new TimeWindow(Now.AddDays(-1), Now), Since, Now)!;

        Assert.Equal((Since, At("2026-11-19T09:00:00Z"), At("2026-11-20T10:00:00Z")), (plan.Since, plan.StartHour, plan.TailHour));
    }

    [Fact]
    public void A_start_up_to_two_hours_after_the_totals_is_served_with_the_hour_between()
    {
        var plan = RecentTotalPlan.For(new TimeWindow(At("2026-11-19T10:59:00Z"), Now), Since, Now)!;

        Assert.Equal(At("2026-11-19T10:00:00Z"), plan.StartHour);
    }

    [Theory]
    [InlineData("2026-11-19T08:59:00Z", "2026-11-20T09:40:00Z")] // before the totals start
    [InlineData("2026-11-19T11:01:00Z", "2026-11-20T09:40:00Z")] // more than two hours after: read directly
    [InlineData("2026-11-19T09:30:00Z", "2026-11-20T08:39:00Z")] // ends more than an hour ago
    public void Other_windows_are_not_served(string start, string end) =>
        Assert.Null(RecentTotalPlan.For(new TimeWindow(At(start), At(end)), Since, Now));

    [Fact]
    public void Without_totals_nothing_is_served() => Assert.Null(RecentTotalPlan.For(new TimeWindow(Now.AddDays(-1), Now), null, Now));
}
