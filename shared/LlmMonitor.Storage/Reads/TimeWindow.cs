namespace LlmMonitor.Storage.Reads;

/// <summary>
/// A half-open UTC range [Start, End) split by where each part is answered from: whole days from the daily
/// rollups, whole hours from the hourly rollups, and the ragged edges (less than an hour each) from llm_events.
/// Every number is then exactly what a plain query over llm_events in [Start, End) gives.
/// </summary>
public sealed record TimeWindow(DateTimeOffset Start, DateTimeOffset End)
{
    public static TimeWindow LastHours(DateTimeOffset now, int hours) => new(now.AddHours(-hours), now);

    public TimeSpan Length => End - Start;

    /// <summary>The same length just before this one (for "change against the previous period").</summary>
    public TimeWindow Previous => new(Start - Length, Start);

    /// <summary>Whole hours [HourStart, HourEnd); empty (both End) when the window holds no whole hour.</summary>
    public DateTimeOffset HourStart => HasWholeHours ? CeilHour(Start) : End;

    public DateTimeOffset HourEnd => HasWholeHours ? FloorHour(End) : End;

    /// <summary>Whole days [DayStart, DayEnd) inside the whole hours; empty (both HourEnd) when there is none.</summary>
    public DateTimeOffset DayStart => HasWholeDays ? CeilDay(HourStart) : HourEnd;

    public DateTimeOffset DayEnd => HasWholeDays ? FloorDay(HourEnd) : HourEnd;

    /// <summary>The edges read from llm_events: [Start, HourStart) and [HourEnd, End).</summary>
    public (DateTimeOffset From, DateTimeOffset To) RawHead => HasWholeHours ? (Start, HourStart) : (Start, End);

    public (DateTimeOffset From, DateTimeOffset To) RawTail => HasWholeHours ? (HourEnd, End) : (End, End);

    private bool HasWholeHours => CeilHour(Start) < FloorHour(End);

    private bool HasWholeDays => HasWholeHours && CeilDay(CeilHour(Start)) < FloorDay(FloorHour(End));

    public static DateTimeOffset FloorHour(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);

    public static DateTimeOffset CeilHour(DateTimeOffset t) => t.UtcTicks % TimeSpan.TicksPerHour == 0 ? t.ToUniversalTime() : FloorHour(t).AddHours(1);

    public static DateTimeOffset FloorDay(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerDay, TimeSpan.Zero);

    public static DateTimeOffset CeilDay(DateTimeOffset t) => t.UtcTicks % TimeSpan.TicksPerDay == 0 ? t.ToUniversalTime() : FloorDay(t).AddDays(1);
}
