using LlmMonitor.Storage;
using LlmMonitor.Storage.Resilience;
using LlmMonitor.WebUi.Queries;
using Npgsql;
using NpgsqlTypes;

namespace LlmMonitor.WebUi.Live;

/// <summary>
/// Reads the calls that id notices announced (a call too large for a notice of its own, or an older writer's notices): by id (the llm_events_event_id index, one probe each) within the notices' time range, so
/// that only the partitions of those days are searched, and of the announcing transactions only (created_at). Notices that arrive together are read together, one query
/// per run of notices within an hour of each other (a batch's notices are cut from events sorted by timestamp, so a
/// batch is one query unless it mixes old and new events).
/// </summary>
public sealed class StoredCallsReader(NpgsqlDataSource db, ReadRetry retry)
{
    private static readonly TimeSpan MaxSpan = TimeSpan.FromHours(1);

    // One index probe per id (llm_events_event_id, in the partitions of the time range only). Written as a LATERAL
    // subquery kept apart by OFFSET 0 because, given the ids as one array, the planner judged thousands of ids a large
    // share of the day and scanned the whole partition (measured: 600-990 ms for 4,600 ids against 97 ms probed).
    private static readonly string Sql = $"""
        SELECT e.* FROM unnest(@ids) AS k(id) CROSS JOIN LATERAL (
            SELECT {ConversationSql.ListColumns} FROM llm_events
            WHERE event_id = k.id AND timestamp BETWEEN @first AND @last AND created_at = ANY(@created)
            OFFSET 0) e
        """;

    // The same probes, newest id first, stopping at the tail's count: the ids come sorted by position, which the
    // nested loop keeps, so that the LIMIT ends the probing (25 probes for an unfiltered dashboard's frame of thousands).
    private static string TailSql(ConversationFilter filter) => $"""
        SELECT e.* FROM (SELECT id, pos FROM unnest(@ids) WITH ORDINALITY AS k(id, pos) ORDER BY pos) k CROSS JOIN LATERAL (
            SELECT {ConversationSql.ListColumns} FROM llm_events
            WHERE event_id = k.id AND timestamp BETWEEN @first AND @last AND created_at = ANY(@created) AND {ConversationSql.Where(filter)}
            OFFSET 0) e
        ORDER BY k.pos LIMIT @latest
        """;

    /// <summary>The announced calls, in the order announced (commit order across notices).</summary>
    public async Task<IReadOnlyList<Conversation>> ReadAsync(IReadOnlyList<StoredEventsNotice.Ids> notices, CancellationToken ct)
    {
        var calls = new List<Conversation>(notices.Sum(n => n.EventIds.Count));
        foreach (var run in Runs(notices))
        {
            calls.AddRange(await retry.RunAsync(c => ReadRunAsync(run, null, c), ct));
        }

        return calls;
    }

    /// <summary>
    /// Of the announced calls, the <see cref="LiveTail.Latest"/> last announced that match the tail's filter, in the order
    /// announced: the runs are read newest first, each until the count is reached.
    /// </summary>
    public async Task<IReadOnlyList<Conversation>> ReadTailAsync(IReadOnlyList<StoredEventsNotice.Ids> notices, LiveTail tail, CancellationToken ct)
    {
        var newestFirst = new List<Conversation>(tail.Latest);
        foreach (var run in Runs(notices).Reverse())
        {
            if (newestFirst.Count == tail.Latest)
            {
                break;
            }

            var remaining = tail with { Latest = tail.Latest - newestFirst.Count };
            newestFirst.AddRange(await retry.RunAsync(c => ReadRunAsync(run, remaining, c), ct));
        }

        newestFirst.Reverse();
        return newestFirst;
    }

    private static IEnumerable<List<StoredEventsNotice.Ids>> Runs(IReadOnlyList<StoredEventsNotice.Ids> notices)
    {
        var run = new List<StoredEventsNotice.Ids>();
        DateTimeOffset first = default, last = default;
        foreach (var notice in notices)
        {
            var (f, l) = run.Count == 0 ? (notice.First, notice.Last) : (Min(first, notice.First), Max(last, notice.Last));
            if (run.Count > 0 && l - f > MaxSpan)
            {
                yield return run;
                run = [];
                (f, l) = (notice.First, notice.Last);
            }

            run.Add(notice);
            (first, last) = (f, l);
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }

    /// <summary>A run's calls in the order announced; with a tail, its calls newest first.</summary>
    private async Task<List<Conversation>> ReadRunAsync(List<StoredEventsNotice.Ids> run, LiveTail? tail, CancellationToken ct)
    {
        var order = new Dictionary<Guid, int>();
        foreach (var id in tail is null ? run.SelectMany(n => n.EventIds) : run.SelectMany(n => n.EventIds).Reverse())
        {
            order.TryAdd(id, order.Count);
        }

        await using var cmd = db.CreateCommand(tail is null ? Sql : TailSql(tail.Filter));
        if (tail is not null)
        {
            cmd.Parameters.AddWithValue("latest", tail.Latest);
            cmd.Parameters.AddFilter(tail.Filter);
        }

        // A millisecond either side: how the writer's client rounded a timestamp to microseconds does not matter.
        cmd.Parameters.Add(new NpgsqlParameter("first", NpgsqlDbType.TimestampTz) { Value = run.Min(n => n.First).AddMilliseconds(-1) });
        cmd.Parameters.Add(new NpgsqlParameter("last", NpgsqlDbType.TimestampTz) { Value = run.Max(n => n.Last).AddMilliseconds(1) });
        cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = order.Keys.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("created", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = run.Select(n => n.Created).Distinct().ToArray() });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var calls = new List<Conversation>(tail?.Latest ?? order.Count);
        while (await reader.ReadAsync(ct))
        {
            calls.Add(ConversationSql.Read(reader));
        }

        calls.Sort((a, b) => order[a.EventId].CompareTo(order[b.EventId]));
        return calls;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
