using LlmMonitor.Storage.Reads;
using LlmMonitor.Storage.Rollups;
using LlmMonitor.WebUi.Queries;

namespace LlmMonitor.WebUi.Tests;

public sealed class RunningTotalPlanTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static readonly DateTimeOffset Now = At("2026-11-20T09:40:00Z");

    private static HashSet<DateTimeOffset> Midnights(int from, int to) =>
        [.. Enumerable.Range(from, to - from + 1).Select(d => At("2026-11-01T00:00:00Z").AddDays(d - 1))];

    private static RunningEdge Edge(string bound, int hourSign, (string, string) hours, int rawSign, (string, string) raw) =>
        new(At(bound), hourSign, (At(hours.Item1), At(hours.Item2)), rawSign, (At(raw.Item1), At(raw.Item2)));

    [Fact]
    public void With_the_boundaries_upkeep_keeps_every_edge_of_the_retention_is_corrected_by_at_most_3_hours()
    {
        var bounds = RunningTotalBounds.Wanted(DateOnly.FromDateTime(Now.AddDays(-20).UtcDateTime), Now);
        for (var point = Now.AddDays(-19); point < TimeWindow.FloorHour(Now); point = point.AddMinutes(37))
        {
            var edge = RunningEdge.At(point, bounds, Now)!;
            Assert.True(edge.Hours.To - edge.Hours.From <= TimeSpan.FromHours(3), $"{point:O}: hours {edge.Hours}");
            Assert.True(edge.Raw.To - edge.Raw.From <= TimeSpan.FromMinutes(30), $"{point:O}: raw {edge.Raw}");
        }
    }

    [Fact]
    public void A_start_just_after_midnight_is_the_midnight_plus_the_hours_and_minutes_since_it()
    {
        var plan = RunningTotalPlan.For(new TimeWindow(At("2026-11-13T05:20:00Z"), Now), Midnights(1, 20), Now)!;

        Assert.Equal(Edge("2026-11-13T00:00:00Z", 1, ("2026-11-13T00:00:00Z", "2026-11-13T05:00:00Z"),
            1, ("2026-11-13T05:00:00Z", "2026-11-13T05:20:00Z")), plan.Start);
    }

    [Fact]
    public void A_start_late_in_the_day_is_the_next_midnight_minus_the_hours_up_to_it()
    {
        var plan = RunningTotalPlan.For(new TimeWindow(At("2026-11-13T19:20:00Z"), Now), Midnights(1, 20), Now)!;

        Assert.Equal(Edge("2026-11-14T00:00:00Z", -1, ("2026-11-13T19:00:00Z", "2026-11-14T00:00:00Z"),
            1, ("2026-11-13T19:00:00Z", "2026-11-13T19:20:00Z")), plan.Start);
    }

    [Fact]
    public void A_point_late_in_its_hour_subtracts_the_minutes_to_the_next_hour()
    {
        var plan = RunningTotalPlan.For(new TimeWindow(At("2026-11-13T04:50:00Z"), Now), Midnights(1, 20), Now)!;

        Assert.Equal(Edge("2026-11-13T00:00:00Z", 1, ("2026-11-13T00:00:00Z", "2026-11-13T05:00:00Z"),
            -1, ("2026-11-13T04:50:00Z", "2026-11-13T05:00:00Z")), plan.Start);
    }

    [Fact]
    public void Without_the_nearer_midnight_it_takes_the_other()
    {
        var bounds = Midnights(1, 20);
        bounds.Remove(At("2026-11-14T00:00:00Z"));
        var plan = RunningTotalPlan.For(new TimeWindow(At("2026-11-13T19:20:00Z"), Now), bounds, Now)!;
        Assert.Equal(At("2026-11-13T00:00:00Z"), plan.Start.Bound);
    }

    [Fact]
    public void An_end_at_now_reads_its_current_hour_and_subtracts_the_minutes_after_now()
    {
        var plan = RunningTotalPlan.For(new TimeWindow(Now.AddDays(-7), Now), Midnights(1, 20), Now)!;

        Assert.Equal(Edge("2026-11-20T00:00:00Z", 1, ("2026-11-20T00:00:00Z", "2026-11-20T10:00:00Z"),
            -1, ("2026-11-20T09:40:00Z", "2026-11-20T10:00:00Z")), plan.End);
    }

    [Theory]
    [InlineData("2026-11-20T07:00:00Z", "2026-11-20T00:00:00Z", 1, "2026-11-20T00:00:00Z", "2026-11-20T07:00:00Z", 1, "2026-11-20T07:00:00Z", "2026-11-20T07:00:00Z")]
    [InlineData("2026-11-19T09:40:00Z", "2026-11-19T00:00:00Z", 1, "2026-11-19T00:00:00Z", "2026-11-19T10:00:00Z", -1, "2026-11-19T09:40:00Z", "2026-11-19T10:00:00Z")]
    [InlineData("2026-11-18T21:00:00Z", "2026-11-19T00:00:00Z", -1, "2026-11-18T21:00:00Z", "2026-11-19T00:00:00Z", 1, "2026-11-18T21:00:00Z", "2026-11-18T21:00:00Z")]
    public void A_window_ending_in_the_past_reads_its_end_from_the_nearest_midnight(
        string end, string bound, int hourSign, string h0, string h1, int rawSign, string r0, string r1)
    {
        var plan = RunningTotalPlan.For(new TimeWindow(At("2026-11-02T00:00:00Z"), At(end)), Midnights(1, 20), Now)!;

        Assert.Equal(Edge(bound, hourSign, (h0, h1), rawSign, (r0, r1)), plan.End);
    }

    [Fact]
    public void With_the_last_two_days_hours_a_day_needs_only_the_minutes_to_the_nearest_hour()
    {
        var bounds = Midnights(1, 20);
        bounds.UnionWith(Enumerable.Range(0, 49).Select(h => At("2026-11-18T09:00:00Z").AddHours(h)));

        var plan = RunningTotalPlan.For(new TimeWindow(Now.AddDays(-1), Now), bounds, Now)!;

        Assert.Equal(Edge("2026-11-19T10:00:00Z", 1, ("2026-11-19T10:00:00Z", "2026-11-19T10:00:00Z"),
            -1, ("2026-11-19T09:40:00Z", "2026-11-19T10:00:00Z")), plan.Start);
        Assert.Equal(Edge("2026-11-20T09:00:00Z", 1, ("2026-11-20T09:00:00Z", "2026-11-20T10:00:00Z"),
            -1, ("2026-11-20T09:40:00Z", "2026-11-20T10:00:00Z")), plan.End);
    }

    [Theory]
    [InlineData("2026-11-19T13:40:00Z", "2026-11-20T09:40:00Z")] // under a day: its own rollup rows are fewer
    [InlineData("2026-10-10T09:40:00Z", "2026-11-20T09:40:00Z")] // starts over a day before the oldest midnight
    [InlineData("2026-11-10T09:40:00Z", "2026-11-30T09:40:00Z")] // ends over a day after the latest boundary
    public void Otherwise_the_window_is_read_directly(string start, string end) =>
        Assert.Null(RunningTotalPlan.For(new TimeWindow(At(start), At(end)), Midnights(1, 20), Now));
}
