using LlmMonitor.Storage.Reads;
using Npgsql;

namespace LlmMonitor.WebUi.Queries;

/// <summary>
/// How a window's sums per tag value are read from the running totals (migrations 0006, 0013): the sums of every call
/// before the window's end (<see cref="End"/>) minus those before its start (<see cref="Start"/>), each read as the
/// running-total row at the boundary nearest that point, corrected by the hourly rows and raw minutes between. Two rows
/// per value, and at most about 12 hours of hourly rows and half an hour of raw calls per edge, however long the window
/// and wherever it ends, against one row per value and day (or hour) of it.
/// </summary>
public sealed record RunningTotalPlan(RunningEdge Start, RunningEdge End)
{
    /// <summary>Below this the window's own rollup rows are fewer than two running-total rows per value.</summary>
    public static readonly TimeSpan MinWindow = TimeSpan.FromHours(24);

    /// <summary>The plan for the window, or null when reading the window's rollups directly is cheaper or the only way.</summary>
    /// <param name="bounds">The boundaries that have running totals (llm_tag_running_total_bounds, 'infinity' left out).</param>
    public static RunningTotalPlan? For(TimeWindow window, IReadOnlyCollection<DateTimeOffset> bounds, DateTimeOffset now) =>
        window.Length < MinWindow
        || RunningEdge.At(window.Start.ToUniversalTime(), bounds, now) is not { } start
        || RunningEdge.At(window.End.ToUniversalTime(), bounds, now) is not { } end
            ? null
            : new(start, end);

    public void AddTo(NpgsqlParameterCollection parameters)
    {
        Start.AddTo(parameters, "s");
        End.AddTo(parameters, "e");
    }
}

/// <summary>
/// The sums of every call before a point in time, as the running-total row at <see cref="Bound"/>, plus (or minus, when
/// <see cref="HourSign"/> is -1) the hourly rows of <see cref="Hours"/> from the bound to the hour nearest the point,
/// plus (<see cref="RawSign"/>) the raw calls of <see cref="Raw"/> from that hour to the point.
/// </summary>
public sealed record RunningEdge(DateTimeOffset Bound, int HourSign, (DateTimeOffset From, DateTimeOffset To) Hours,
    int RawSign, (DateTimeOffset From, DateTimeOffset To) Raw)
{
    /// <summary>Farther than this from the nearest boundary (before the oldest midnight, say) a point is not read from the totals.</summary>
    public static readonly TimeSpan MaxHoursToBound = TimeSpan.FromHours(24);

    public static RunningEdge? At(DateTimeOffset point, IReadOnlyCollection<DateTimeOffset> bounds, DateTimeOffset now)
    {
        // The hour whose side of the point holds fewer calls: after now there are none, so a window ending now reads
        // its current hour's rows and not its raw calls.
        var (floor, ceil) = (TimeWindow.FloorHour(point), TimeWindow.CeilHour(point));
        var hour = Calls(floor, point, now) <= Calls(point, ceil, now) ? floor : ceil;
        var bound = bounds.OrderBy(b => (b - hour).Duration()).ThenBy(b => b).Cast<DateTimeOffset?>().FirstOrDefault();
        if (bound is not { } b || (b - hour).Duration() > MaxHoursToBound)
        {
            return null;
        }

        return new(b, hour >= b ? 1 : -1, Ordered(b, hour), point >= hour ? 1 : -1, Ordered(hour, point));
    }

    /// <summary>Parameters @{prefix}b (bound), @{prefix}hs, @{prefix}h0, @{prefix}h1 (hours), @{prefix}rs, @{prefix}r0, @{prefix}r1 (raw).</summary>
    public void AddTo(NpgsqlParameterCollection parameters, string prefix)
    {
        parameters.AddTime($"{prefix}b", Bound);
        parameters.AddWithValue($"{prefix}hs", HourSign);
        parameters.AddTime($"{prefix}h0", Hours.From);
        parameters.AddTime($"{prefix}h1", Hours.To);
        parameters.AddWithValue($"{prefix}rs", RawSign);
        parameters.AddTime($"{prefix}r0", Raw.From);
        parameters.AddTime($"{prefix}r1", Raw.To);
    }

    /// <summary>The calls expected in [from, to): its length up to now.</summary>
    private static TimeSpan Calls(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        var until = to < now ? to : now;
        return until > from ? until - from : TimeSpan.Zero;
    }

    private static (DateTimeOffset, DateTimeOffset) Ordered(DateTimeOffset a, DateTimeOffset b) => a <= b ? (a, b) : (b, a);
}
