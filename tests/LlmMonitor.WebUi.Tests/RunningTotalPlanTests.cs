using LlmMonitor.Storage.Reads;
using LlmMonitor.WebUi.Queries;

namespace LlmMonitor.WebUi.Tests;

public sealed class RunningTotalPlanTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static readonly DateTimeOffset Now = At("2026-11-20T09:40:00Z");

    private static HashSet<DateTimeOffset> Midnights(int from, int to) =>
        [.. Enumerable.Range(from, to - from + 1).Select(d => At("2026-11-01T00:00:00Z").AddDays(d - 1))];

    [Fact]
    public void A_start_just_after_midnight_subtracts_the_hours_and_minutes_since_it()
    {
        var plan = RunningTotalPlan.For(new TimeWindow(At("2026-11-13T05:20:00Z"), Now), Midnights(1, 20), Now)!;

        Assert.Equal((At("2026-11-13T00:00:00Z"), -1), (plan.Bound, plan.Sign));
        Assert.Equal((At("2026-11-13T00:00:00Z"), At("2026-11-13T05:00:00Z")), plan.Hours);
        Assert.Equal((At("2026-11-13T05:00:00Z"), At("2026-11-13T05:20:00Z")), plan.Raw);
        Assert.Equal(At("2026-11-20T10:00:00Z"), plan.TailHour);
        Assert.Equal((Now, At("2026-11-20T10:00:00Z")), plan.TailRaw);
    }

    [Fact]
    public void A_start_late_in_the_day_adds_the_minutes_and_hours_up_to_the_next_midnight()
    {
        var plan = RunningTotalPlan.For(new TimeWindow(At("2026-11-13T19:20:00Z"), Now), Midnights(1, 20), Now)!;

        Assert.Equal((At("2026-11-14T00:00:00Z"), 1), (plan.Bound, plan.Sign));
        Assert.Equal((At("2026-11-13T19:20:00Z"), At("2026-11-13T20:00:00Z")), plan.Raw);
        Assert.Equal((At("2026-11-13T20:00:00Z"), At("2026-11-14T00:00:00Z")), plan.Hours);
    }

    [Fact]
    public void Without_the_nearer_midnight_it_takes_the_other()
    {
        var plan = RunningTotalPlan.For(new TimeWindow(At("2026-11-13T19:20:00Z"), Now), Midnights(1, 13), Now)!;
        Assert.Equal((At("2026-11-13T00:00:00Z"), -1), (plan.Bound, plan.Sign));
    }

    [Fact]
    public void With_the_last_two_days_hours_a_day_needs_only_the_minutes_to_the_nearest_hour()
    {
        var bounds = Midnights(1, 20);
        bounds.UnionWith(Enumerable.Range(0, 49).Select(h => At("2026-11-18T09:00:00Z").AddHours(h)));

        var plan = RunningTotalPlan.For(new TimeWindow(Now.AddDays(-1), Now), bounds, Now)!;

        Assert.Equal((At("2026-11-19T10:00:00Z"), 1), (plan.Bound, plan.Sign));
        Assert.Equal((Now.AddDays(-1), At("2026-11-19T10:00:00Z")), plan.Raw);
        Assert.Equal(plan.Hours.From, plan.Hours.To);
    }

    [Theory]
    [InlineData("2026-11-19T13:40:00Z", "2026-11-20T09:40:00Z")] // under a day: its own rollup rows are fewer
    [InlineData("2026-11-10T09:40:00Z", "2026-11-20T07:00:00Z")] // ends well before now: most hours after it would be subtracted
    [InlineData("2026-10-10T09:40:00Z", "2026-11-20T09:40:00Z")] // starts before the oldest midnight
    public void Otherwise_the_window_is_read_directly(string start, string end) =>
        Assert.Null(RunningTotalPlan.For(new TimeWindow(At(start), At(end)), Midnights(1, 20), Now));
}
