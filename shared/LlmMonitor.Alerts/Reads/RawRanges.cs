using LlmMonitor.Storage.Reads;
using Npgsql;

namespace LlmMonitor.Alerts.Reads;

/// <summary>The parts of llm_events to read (the ragged edges of many windows), merged where they meet or overlap.</summary>
public sealed class RawRanges
{
    private readonly List<(DateTimeOffset From, DateTimeOffset To)> _ranges = [];

    public void Add(DateTimeOffset from, DateTimeOffset to)
    {
        if (from < to)
        {
            _ranges.Add((from, to));
        }
    }

    public void AddEdges(TimeWindow window)
    {
        Add(window.RawHead.From, window.RawHead.To);
        Add(window.RawTail.From, window.RawTail.To);
    }

    public bool IsEmpty => _ranges.Count == 0;

    public IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Merged()
    {
        var merged = new List<(DateTimeOffset From, DateTimeOffset To)>();
        foreach (var range in _ranges.OrderBy(r => r.From))
        {
            if (merged.Count > 0 && range.From <= merged[^1].To)
            {
                merged[^1] = (merged[^1].From, range.To > merged[^1].To ? range.To : merged[^1].To);
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }

    /// <summary>"(timestamp &gt;= @r0 AND timestamp &lt; @r1 OR …)": plain ranges, so PostgreSQL reads only their partitions and index ranges.</summary>
    public string Sql(string column = "timestamp") =>
        "(" + string.Join(" OR ", Merged().Select((_, i) => $"({column} >= @r{2 * i} AND {column} < @r{2 * i + 1})")) + ")";

    public void AddParameters(NpgsqlParameterCollection parameters)
    {
        var i = 0;
        foreach (var (from, to) in Merged())
        {
            parameters.AddTime($"r{i++}", from);
            parameters.AddTime($"r{i++}", to);
        }
    }
}
