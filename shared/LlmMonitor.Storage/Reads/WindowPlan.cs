namespace LlmMonitor.Storage.Reads;

/// <summary>Raw rows of [From, To), added (Sign 1) or subtracted (Sign -1).</summary>
public readonly record struct RawRange(DateTimeOffset From, DateTimeOffset To, int Sign);

/// <summary>
/// A <see cref="TimeWindow"/> as whole hours [HourStart, HourEnd) from the rollups (whole days of them from the daily
/// rollups) plus two signed raw ranges. With signs 1 the hours are the window's own; a -1 range means its hour was
/// taken whole and the part outside the window is subtracted.
/// </summary>
public sealed record WindowPlan(DateTimeOffset HourStart, DateTimeOffset HourEnd, RawRange Head, RawRange Tail)
{
    /// <summary>Whole days [DayStart, DayEnd) inside the hours; empty (both HourEnd) when there is none.</summary>
    public DateTimeOffset DayStart => HasWholeDays ? TimeWindow.CeilDay(HourStart) : HourEnd;

    public DateTimeOffset DayEnd => HasWholeDays ? TimeWindow.FloorDay(HourEnd) : HourEnd;

    private bool HasWholeDays => HourStart < HourEnd && TimeWindow.CeilDay(HourStart) < TimeWindow.FloorDay(HourEnd);

    /// <summary>The window read as it is: its own whole hours and its ragged edges added.</summary>
    public static WindowPlan Added(TimeWindow w) =>
        new(w.HourStart, w.HourEnd, new RawRange(w.RawHead.From, w.RawHead.To, 1), new RawRange(w.RawTail.From, w.RawTail.To, 1));
}
