using LlmMonitor.WebUi.Queries;

namespace LlmMonitor.WebUi.Models.CallGroups;

/// <summary>
/// Places calls on one time axis: from the first call's start to the latest end (timestamp + latency). Positions are
/// in units of <see cref="Width"/>, for an SVG viewBox, so that the page needs no inline style.
/// </summary>
public sealed class Timeline
{
    public const double Width = 1000;

    /// <summary>The narrowest bar, so that a call without a measured latency (or a very short one) still shows.</summary>
    public const double MinBar = 3;

    public Timeline(IReadOnlyList<Conversation> calls)
    {
        if (calls.Count == 0)
        {
            Start = End = DateTimeOffset.UnixEpoch;
            return;
        }

        Start = calls.Min(c => c.Timestamp);
        End = calls.Max(EndOf);
    }

    public DateTimeOffset Start { get; }

    public DateTimeOffset End { get; }

    public TimeSpan Length => End - Start;

    /// <summary>A call's bar: x and width in viewBox units (width at least <see cref="MinBar"/>, never past the right edge).</summary>
    public (double X, double Width) Bar(Conversation call)
    {
        var total = Math.Max(Length.TotalMilliseconds, 1);
        var x = Math.Clamp((call.Timestamp - Start).TotalMilliseconds / total * Width, 0, Width - MinBar);
        var width = Math.Clamp((call.LatencyMs ?? 0) / total * Width, MinBar, Width - x);
        return (Math.Round(x, 2), Math.Round(width, 2));
    }

    /// <summary>How far after the first call this one started.</summary>
    public TimeSpan Offset(Conversation call) => call.Timestamp - Start;

    private static DateTimeOffset EndOf(Conversation call) => call.Timestamp.AddMilliseconds(call.LatencyMs ?? 0);
}
