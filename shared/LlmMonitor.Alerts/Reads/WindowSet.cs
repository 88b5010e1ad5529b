using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Storage.Reads;

namespace LlmMonitor.Alerts.Reads;

/// <summary>Filters read the same way, each with the windows its rules look back over.</summary>
public sealed class WindowSet
{
    private readonly Dictionary<RuleFilter, List<TimeWindow>> _windows = [];

    public void Add(RuleFilter filter, TimeWindow window)
    {
        if (!_windows.TryGetValue(filter, out var windows))
        {
            _windows[filter] = windows = [];
        }

        windows.Add(window);
    }

    public bool IsEmpty => _windows.Count == 0;

    public IReadOnlyCollection<RuleFilter> Filters => _windows.Keys;

    private IEnumerable<TimeWindow> All => _windows.Values.SelectMany(w => w);

    /// <summary>The ragged edges of every window, to read from llm_events.</summary>
    public RawRanges Edges()
    {
        var ranges = new RawRanges();
        foreach (var window in All)
        {
            ranges.AddEdges(window);
        }

        return ranges;
    }

    /// <summary>Every whole hour of any window, to read from the hourly rollups.</summary>
    public DateTimeOffset[] WholeHours() => All
        .SelectMany(w => Enumerable.Range(0, (int)(w.HourEnd - w.HourStart).TotalHours).Select(h => w.HourStart.AddHours(h)))
        .Distinct()
        .Order()
        .ToArray();

    /// <summary>When the longest window of <paramref name="filter"/> starts.</summary>
    public DateTimeOffset EarliestStart(RuleFilter filter) => _windows[filter].Min(w => w.Start);
}
