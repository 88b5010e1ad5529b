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
    public void The_previous_period_has_the_same_length_and_ends_where_this_one_starts()
    {
        var w = TimeWindow.LastHours(At("2026-11-01T10:30:00Z"), 24);
        Assert.Equal(w.Start, w.Previous.End);
        Assert.Equal(w.Length, w.Previous.Length);
    }
}
