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
    public DateTimeOffset DayStart => WindowPlan.Added(this).DayStart;

    public DateTimeOffset DayEnd => WindowPlan.Added(this).DayEnd;

    /// <summary>The edges read from llm_events: [Start, HourStart) and [HourEnd, End).</summary>
    public (DateTimeOffset From, DateTimeOffset To) RawHead => HasWholeHours ? (Start, HourStart) : (Start, End);

    public (DateTimeOffset From, DateTimeOffset To) RawTail => HasWholeHours ? (HourEnd, End) : (End, End);

    /// <summary>
    /// How to read the window when the queries can subtract (sums, counts and histograms): each ragged edge is read
    /// either as its own raw rows or as its hour's rollup minus the rest of that hour, whichever holds fewer rows.
    /// Time after <paramref name="now"/> counts as empty, so a window ending now takes its current hour from the rollup
    /// and reads only the calls stamped later in that hour (normally none), not the hour so far.
    /// </summary>
    public WindowPlan Plan(DateTimeOffset now)
    {
        if (End <= Start)
        {
            return new WindowPlan(End, End, new RawRange(Start, Start, 1), new RawRange(End, End, 1));
        }

        var first = FloorHour(Start);
        if (first == FloorHour(End) && End != first)
        {
            var hourEnd = first.AddHours(1);
            return Rows(Start, End, now) <= Rows(first, Start, now) + Rows(End, hourEnd, now)
                ? new WindowPlan(End, End, new RawRange(Start, End, 1), new RawRange(End, End, 1))
                : new WindowPlan(first, hourEnd, new RawRange(first, Start, -1), new RawRange(End, hourEnd, -1));
        }

        var (h0, head) = Rows(Start, CeilHour(Start), now) <= Rows(first, Start, now)
            ? (CeilHour(Start), new RawRange(Start, CeilHour(Start), 1))
            : (first, new RawRange(first, Start, -1));
        var (h1, tail) = Rows(FloorHour(End), End, now) <= Rows(End, CeilHour(End), now)
            ? (FloorHour(End), new RawRange(FloorHour(End), End, 1))
            : (CeilHour(End), new RawRange(End, CeilHour(End), -1));
        return new WindowPlan(h0, h1, head, tail);
    }

    /// <summary>The estimated rows of [from, to): its length up to now (calls stamped in the future are rare).</summary>
    private static TimeSpan Rows(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        var until = to < now ? to : now;
        return until > from ? until - from : TimeSpan.Zero;
    }

    private bool HasWholeHours => CeilHour(Start) < FloorHour(End);

    public static DateTimeOffset FloorHour(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);

    public static DateTimeOffset CeilHour(DateTimeOffset t) => t.UtcTicks % TimeSpan.TicksPerHour == 0 ? t.ToUniversalTime() : FloorHour(t).AddHours(1);

    public static DateTimeOffset FloorDay(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerDay, TimeSpan.Zero);

    public static DateTimeOffset CeilDay(DateTimeOffset t) => t.UtcTicks % TimeSpan.TicksPerDay == 0 ? t.ToUniversalTime() : FloorDay(t).AddDays(1);
}
