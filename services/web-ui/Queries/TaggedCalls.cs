using LlmMonitor.Storage.Reads;
using Npgsql;

namespace LlmMonitor.WebUi.Queries;

/// <summary>
/// A page of the calls filtered by a tag, newest first, without scanning back through the partitions for them: the
/// tag rollups name the days and hours that hold the value's calls (and how many), so only the newest hours that
/// hold at least a page's worth are read — each by primary-key lookups of its calls' times when its hourly row keeps
/// them all (llm_rollup_hourly_tags.call_times), by its time range otherwise. Every call in a later hour is newer
/// than every call in an earlier one, so the newest calls of those hours are the newest calls of all.
/// </summary>
public sealed class TaggedCalls(NpgsqlDataSource db)
{
    public async Task<IReadOnlyList<Conversation>> PageAsync(ConversationFilter filter, TimeWindow window, long offset, int limit, CancellationToken ct)
    {
        var need = offset + limit;
        var days = await DaysAsync(filter, window, ct);
        // Other filters (model, status, search, a window edge inside an hour) may keep fewer calls than the rollups
        // count: then the hours read so far held less than a page, and more of them are read.
        for (var wanted = need; ; wanted *= 4)
        {
            var dayCount = Prefix(days, wanted);
            var hours = await HoursAsync(filter, window, days.Take(dayCount), ct);
            var hourCount = Prefix(hours, wanted);
            var calls = await ReadAsync(filter, hours.Take(hourCount).ToList(), need, ct);
            if (calls.Count >= need || (dayCount == days.Count && hourCount == hours.Count))
            {
                return calls.Skip((int)Math.Min(offset, calls.Count)).ToList();
            }
        }
    }

    /// <summary>
    /// How many of the value's calls in the window pass the other filters too, read the same way: worth it only while
    /// the value has few calls in the window (at most <see cref="MaxCounted"/>).
    /// </summary>
    public async Task<long> CountAsync(ConversationFilter filter, TimeWindow window, CancellationToken ct)
    {
        var days = await DaysAsync(filter, window, ct);
        var hours = await HoursAsync(filter, window, days, ct);
        await using var cmd = Select(filter, hours, "count(*)", limit: null);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Up to how many calls of a value <see cref="CountAsync"/> is used for; a plain count reads the window's calls.</summary>
    public const long MaxCounted = 20_000;

    private Task<IReadOnlyList<PeriodCount>> DaysAsync(ConversationFilter filter, TimeWindow window, CancellationToken ct) =>
        CountsAsync(DaysSql, filter, WindowSql.Steps(TimeWindow.FloorDay(window.Start), window.End, TimeSpan.FromDays(1)), ct);

    private Task<IReadOnlyList<PeriodCount>> HoursAsync(ConversationFilter filter, TimeWindow window, IEnumerable<PeriodCount> days, CancellationToken ct)
    {
        var (start, end) = (window.Start.UtcDateTime, window.End.UtcDateTime);
        var hours = days.SelectMany(d => WindowSql.Steps(d.Period, d.Period.AddDays(1), TimeSpan.FromHours(1)))
            .Where(h => h.AddHours(1) > start && h < end);
        return CountsAsync(HoursSql, filter, hours, ct);
    }

    /// <summary>How many of the newest periods hold at least <paramref name="wanted"/> calls (all of them when they hold fewer).</summary>
    private static int Prefix(IReadOnlyList<PeriodCount> periods, long wanted)
    {
        long sum = 0;
        for (var i = 0; i < periods.Count; i++)
        {
            sum += periods[i].Calls;
            if (sum >= wanted)
            {
                return i + 1;
            }
        }

        return periods.Count;
    }

    /// <summary>The value's rollup rows among <paramref name="periods"/>, newest first: one index lookup per period.</summary>
    private async Task<IReadOnlyList<PeriodCount>> CountsAsync(string sql, ConversationFilter filter, IEnumerable<DateTime> periods, CancellationToken ct)
    {
        var rows = new List<PeriodCount>();
        var list = periods.ToArray();
        if (list.Length == 0)
        {
            return rows;
        }

        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.AddText("key", filter.TagKey);
        cmd.Parameters.AddText("value", filter.TagValue ?? "");
        cmd.Parameters.Add(WindowSql.TimeList("periods", list));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new PeriodCount(reader.GetFieldValue<DateTime>(0), reader.GetInt64(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTime[]>(2)));
        }

        return rows;
    }

    private async Task<IReadOnlyList<Conversation>> ReadAsync(ConversationFilter filter, IReadOnlyList<PeriodCount> hours, long need, CancellationToken ct)
    {
        var calls = new List<Conversation>();
        if (hours.Count == 0)
        {
            return calls;
        }

        await using var cmd = Select(filter, hours, ConversationSql.ListColumns, need);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            calls.Add(ConversationSql.Read(reader));
        }

        return calls;
    }

    /// <summary>
    /// <paramref name="columns"/> over the filter's calls in <paramref name="hours"/>: looked up by their kept times, or
    /// read by the hour's range; with <paramref name="limit"/>, only the newest that many (ordered newest first).
    /// </summary>
    private NpgsqlCommand Select(ConversationFilter filter, IReadOnlyList<PeriodCount> hours, string columns, long? limit)
    {
        var times = hours.Where(h => h.Times is not null).SelectMany(h => h.Times!).Distinct().ToArray();
        var ranges = hours.Where(h => h.Times is null).Select(h => h.Period).ToArray();
        var where = ConversationSql.Where(filter);
        var (order, newest) = limit is null ? ("", "") : ("ORDER BY timestamp DESC, event_id DESC", "LIMIT @need");
        var cmd = db.CreateCommand($"""
            SELECT {columns} FROM (
                SELECT {ConversationSql.ListColumns} FROM llm_events WHERE timestamp = ANY(@times) AND {where}
                UNION ALL
                SELECT e.* FROM unnest(@ranges) h(hour) CROSS JOIN LATERAL (
                    SELECT {ConversationSql.ListColumns} FROM llm_events
                    WHERE timestamp >= h.hour AND timestamp < h.hour + interval '1 hour' AND {where}
                    {order} {newest}) e
            ) c
            {order}
            {newest}
            """);
        cmd.Parameters.AddFilter(filter);
        cmd.Parameters.Add(WindowSql.TimeList("times", times));
        cmd.Parameters.Add(WindowSql.TimeList("ranges", ranges));
        cmd.Parameters.AddWithValue("need", limit ?? 0);
        return cmd;
    }

    /// <summary>A day's or hour's calls of the value; <see cref="Times"/> when the row keeps every one of them.</summary>
    private sealed record PeriodCount(DateTime Period, long Calls, DateTime[]? Times);

    private const string DaysSql = """
        SELECT day, request_count, NULL::timestamptz[] FROM llm_rollup_daily_tags
        WHERE tag_key = @key AND day = ANY(@periods) AND tag_value = @value
        ORDER BY day DESC
        """;

    private const string HoursSql = """
        SELECT hour, request_count, CASE WHEN cardinality(call_times) = request_count THEN call_times END
        FROM llm_rollup_hourly_tags
        WHERE tag_key = @key AND hour = ANY(@periods) AND tag_value = @value
        ORDER BY hour DESC
        """;
}
