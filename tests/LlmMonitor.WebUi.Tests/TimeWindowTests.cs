using LlmMonitor.Storage.Reads;

namespace LlmMonitor.WebUi.Tests;

public sealed class TimeWindowTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_long_window_splits_into_raw_edges_whole_hours_and_whole_days()
    {
        var w = new TimeWindow(At("2026-11-01T22:17:00Z"), At("2026-11-05T03:40:00Z"));
        Assert.Equal((At("2026-11-01T22:17:00Z"), At("2026-11-01T23:00:00Z")), w.RawHead);
        Assert.Equal(At("2026-11-01T23:00:00Z"), w.HourStart);
        Assert.Equal(At("2026-11-02T00:00:00Z"), w.DayStart);
        Assert.Equal(At("2026-11-05T00:00:00Z"), w.DayEnd);
        Assert.Equal(At("2026-11-05T03:00:00Z"), w.HourEnd);
        Assert.Equal((At("2026-11-05T03:00:00Z"), At("2026-11-05T03:40:00Z")), w.RawTail);
    }

    [Fact]
    public void A_window_inside_one_hour_is_read_from_raw_events_only()
    {
        var w = new TimeWindow(At("2026-11-01T10:05:00Z"), At("2026-11-01T10:55:00Z"));
        Assert.Equal((w.Start, w.End), w.RawHead);
        Assert.Equal(w.RawTail.From, w.RawTail.To);
        Assert.Equal(w.HourStart, w.HourEnd);
        Assert.Equal(w.DayStart, w.DayEnd);
    }

    [Fact]
    public void An_aligned_window_has_no_raw_edges_and_hours_without_days_when_shorter_than_a_day()
    {
        var w = new TimeWindow(At("2026-11-01T10:00:00Z"), At("2026-11-01T20:00:00Z"));
        Assert.Equal(w.RawHead.From, w.RawHead.To);
        Assert.Equal(w.RawTail.From, w.RawTail.To);
        Assert.Equal((At("2026-11-01T10:00:00Z"), At("2026-11-01T20:00:00Z")), (w.HourStart, w.HourEnd));
        Assert.Equal(w.DayStart, w.DayEnd);
    }

    [Fact]
    public void A_plan_reads_each_edge_from_the_side_of_its_hour_with_less_time()
    {
        var now = At("2026-11-09T00:00:00Z");
        var plan = new TimeWindow(At("2026-11-01T22:05:00Z"), At("2026-11-05T03:40:00Z")).Plan(now);
        Assert.Equal(new RawRange(At("2026-11-01T22:00:00Z"), At("2026-11-01T22:05:00Z"), -1), plan.Head);
        Assert.Equal(new RawRange(At("2026-11-05T03:40:00Z"), At("2026-11-05T04:00:00Z"), -1), plan.Tail);
        Assert.Equal((At("2026-11-01T22:00:00Z"), At("2026-11-05T04:00:00Z")), (plan.HourStart, plan.HourEnd));
        Assert.Equal((At("2026-11-02T00:00:00Z"), At("2026-11-05T00:00:00Z")), (plan.DayStart, plan.DayEnd));

        var added = new TimeWindow(At("2026-11-01T22:55:00Z"), At("2026-11-05T03:10:00Z")).Plan(now);
        Assert.Equal(new RawRange(At("2026-11-01T22:55:00Z"), At("2026-11-01T23:00:00Z"), 1), added.Head);
        Assert.Equal(new RawRange(At("2026-11-05T03:00:00Z"), At("2026-11-05T03:10:00Z"), 1), added.Tail);
        Assert.Equal((At("2026-11-01T23:00:00Z"), At("2026-11-05T03:00:00Z")), (added.HourStart, added.HourEnd));
    }

    [Fact]
    public void A_window_ending_now_takes_its_current_hour_from_the_rollup_less_what_is_stamped_later()
    {
        var now = At("2026-11-05T03:10:00Z");
        var plan = TimeWindow.LastHours(now, 1).Plan(now);
        Assert.Equal(new RawRange(At("2026-11-05T02:00:00Z"), At("2026-11-05T02:10:00Z"), -1), plan.Head);
        Assert.Equal(new RawRange(now, At("2026-11-05T04:00:00Z"), -1), plan.Tail);
        Assert.Equal((At("2026-11-05T02:00:00Z"), At("2026-11-05T04:00:00Z")), (plan.HourStart, plan.HourEnd));
        Assert.Equal(plan.HourEnd, plan.DayStart);
    }

    [Fact]
    public void A_plan_inside_one_hour_reads_the_window_or_the_rest_of_its_hour()
    {
        var now = At("2026-11-09T00:00:00Z");
        var inside = new TimeWindow(At("2026-11-01T10:20:00Z"), At("2026-11-01T10:30:00Z")).Plan(now);
        Assert.Equal(new RawRange(At("2026-11-01T10:20:00Z"), At("2026-11-01T10:30:00Z"), 1), inside.Head);
        Assert.Equal(inside.HourStart, inside.HourEnd);

        var most = new TimeWindow(At("2026-11-01T10:02:00Z"), At("2026-11-01T10:58:00Z")).Plan(now);
        Assert.Equal(new RawRange(At("2026-11-01T10:00:00Z"), At("2026-11-01T10:02:00Z"), -1), most.Head);
        Assert.Equal(new RawRange(At("2026-11-01T10:58:00Z"), At("2026-11-01T11:00:00Z"), -1), most.Tail);
        Assert.Equal((At("2026-11-01T10:00:00Z"), At("2026-11-01T11:00:00Z")), (most.HourStart, most.HourEnd));
    }

    [Fact]
    public void A_plain_plan_is_the_window_own_split()
    {
        var w = new TimeWindow(At("2026-11-01T22:05:00Z"), At("2026-11-05T03:40:00Z"));
        var plan = WindowPlan.Added(w);
        Assert.Equal(new RawRange(w.RawHead.From, w.RawHead.To, 1), plan.Head);
        Assert.Equal(new RawRange(w.RawTail.From, w.RawTail.To, 1), plan.Tail);
        Assert.Equal((w.HourStart, w.HourEnd, w.DayStart, w.DayEnd), (plan.HourStart, plan.HourEnd, plan.DayStart, plan.DayEnd));
    }

    [Fact]
    public void The_previous_period_has_the_same_length_and_ends_where_this_one_starts()
    {
        var w = TimeWindow.LastHours(At("2026-11-01T10:30:00Z"), 24);
        Assert.Equal(w.Start, w.Previous.End);
        Assert.Equal(w.Length, w.Previous.Length);
    }
}
