using LlmMonitor.Storage.Resilience;
using Npgsql;

namespace LlmMonitor.WebUi.Queries;

/// <summary>Sessions, traces and end users: calls grouped by session_id, trace_id and user_id.</summary>
public sealed class CallGroupQueries(NpgsqlDataSource db, TagValueSource source, ValueRanking ranking, ReadRetry retry)
{
    /// <summary>The most calls a session's or a trace's answer lists (the first ones); its totals count them all.</summary>
    public const int MaxCalls = 10_000;

    /// <summary>
    /// Sessions whose latest call is in the window, newest first, each with the totals of all its calls; filtered to the
    /// sessions of a user (the user of a session's latest call that names one) and to those with a call to a model.
    /// </summary>
    public async Task<SessionPage> SessionsAsync(TimeWindow window, string? userId, string? model, int page, int pageSize, CancellationToken ct)
    {
        var items = ReadAsync(CallGroupSql.Sessions, Parameters(window, userId, model, page, pageSize), r => new SessionSummary(
            r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetFieldValue<DateTimeOffset>(3),
            r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetDecimal(7), r.GetFieldValue<string[]>(8)), ct);
        // A user's sessions are few and found by index; all sessions (of a model) are counted by the hour.
        var total = userId is null
            ? CountAsync(CallGroupSql.SessionCountByHour, p =>
            {
                Parameters(window, userId, model, page, pageSize)(p);
                p.AddTime("h0", window.HourStart);
                p.AddTime("h1", window.HourEnd);
            }, ct)
            : CountAsync(CallGroupSql.SessionCount, Parameters(window, userId, model, page, pageSize), ct);
        return new SessionPage(await items, page, pageSize, await total);
    }

    /// <returns>Null when no stored call has this session_id.</returns>
    public async Task<SessionDetail?> SessionAsync(string sessionId, CancellationToken ct)
    {
        var rows = await ReadAsync(CallGroupSql.Session, p => p.AddText("id", sessionId), r => (
            Totals: new CallTotals(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetDecimal(3), r.GetDecimal(4)),
            UserId: r.IsDBNull(5) ? null : r.GetString(5),
            Range: (r.GetFieldValue<DateTimeOffset>(6), r.GetFieldValue<DateTimeOffset>(7))), ct);
        return rows.Count == 0
            ? null
            : new SessionDetail(sessionId, rows[0].UserId, await CallsAsync("session_id", sessionId, rows[0].Range, ct), rows[0].Totals);
    }

    /// <returns>Null when no stored call has this trace_id.</returns>
    public async Task<TraceDetail?> TraceAsync(string traceId, CancellationToken ct)
    {
        var ranges = await ReadAsync(CallGroupSql.Trace, p => p.AddText("id", traceId),
            r => (r.GetFieldValue<DateTimeOffset>(0), r.GetFieldValue<DateTimeOffset>(1)), ct);
        if (ranges.Count == 0)
        {
            return null;
        }

        var totals = ReadAsync(CallGroupSql.Totals("trace_id"), InRange(traceId, ranges[0]),
            r => new CallTotals(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetDecimal(3), r.GetDecimal(4)), ct);
        var spans = CallsAsync("trace_id", traceId, ranges[0], ct);
        // A trace whose calls were all dropped by retention keeps its row until the rollups go.
        return (await totals)[0] is { Calls: > 0 } t ? new TraceDetail(traceId, await spans, t) : null;
    }

    /// <summary>End users with calls in the window, highest cost first.</summary>
    public async Task<UserPage> UsersAsync(TimeWindow window, int page, int pageSize, CancellationToken ct)
    {
        var choice = await retry.RunAsync(c => source.ForAsync(CallGroupSql.UserSums, window, c), ct);
        var (users, total, unknown) = await ReadUsersAsync(choice, page, pageSize, ct);
        if (unknown.Count > 0)
        {
            // The totals these users were read from hold calls stamped after the window's end: look their latest call up.
            var lastCalls = await LastCallsAsync(unknown, window, ct);
            users = [.. users.Select(u => lastCalls.TryGetValue(u.UserId, out var at) ? u with { LastSeen = at } : u)];
        }

        return new UserPage(users, page, pageSize, total);
    }

    private async Task<(List<UserSummary> Users, long Total, List<string> LastSeenUnknown)> ReadUsersAsync(TagValueSource.Choice choice, int page, int pageSize, CancellationToken ct)
    {
        var rows = await retry.RunAsync(c => ranking.ReadAsync(choice, RankOrder.ByCostThenValue, p =>
        {
            choice.Parameters(p);
            p.AddText("key", "user_id");
        }, (long)(page - 1) * pageSize, pageSize, c), ct);
        var users = rows.Rows.Select(r => new UserSummary(r.Value, r.Requests, r.Errors, r.Tokens, r.Cost, r.LastSeen ?? default)).ToList();
        return (users, rows.Distinct, [.. rows.Rows.Where(r => r.LastSeen is null).Select(r => r.Value)]);
    }

    /// <summary>The latest call in the window of each of <paramref name="users"/>, who all have calls in it.</summary>
    private async Task<Dictionary<string, DateTimeOffset>> LastCallsAsync(List<string> users, TimeWindow window, CancellationToken ct)
    {
        var (start, end) = (window.Start.ToUniversalTime(), window.End.ToUniversalTime());
        var (endHour, endDay) = (TimeWindow.FloorHour(end), TimeWindow.FloorDay(end));
        var firstHour = TimeWindow.FloorHour(start) > endDay ? TimeWindow.FloorHour(start) : endDay;
        var hours = Enumerable.Range(0, Math.Max(0, (int)(endHour - firstHour).TotalHours)).Select(h => firstHour.AddHours(h).UtcDateTime);
        var firstDay = TimeWindow.FloorDay(start);
        var days = Enumerable.Range(0, Math.Max(0, (int)(endDay - firstDay).TotalDays)).Select(d => firstDay.AddDays(d).UtcDateTime);
        var rows = await ReadAsync(CallGroupSql.UsersLastCall, p =>
        {
            p.AddWithValue("users", users.ToArray());
            p.AddTime("r0", endHour);
            p.AddTime("end", end);
            p.Add(WindowSql.TimeList("hours", hours));
            p.Add(WindowSql.TimeList("days", days));
        }, r => (User: r.GetString(0), At: r.IsDBNull(1) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(1)), ct);
        return rows.Where(r => r.At is not null).ToDictionary(r => r.User, r => r.At!.Value);
    }

    private static Action<NpgsqlParameterCollection> InRange(string id, (DateTimeOffset First, DateTimeOffset Last) range) => p =>
    {
        p.AddText("id", id);
        p.AddTime("first", range.First);
        p.AddTime("last", range.Last);
    };

    private Task<List<Conversation>> CallsAsync(string column, string id, (DateTimeOffset, DateTimeOffset) range, CancellationToken ct) =>
        ReadAsync(CallGroupSql.Calls(column), p =>
        {
            InRange(id, range)(p);
            p.AddWithValue("limit", MaxCalls);
        }, r => ConversationSql.Read(r), ct);

    private static Action<NpgsqlParameterCollection> Parameters(TimeWindow window, string? userId, string? model, int page, int pageSize) => p =>
    {
        p.AddTime("start", window.Start);
        p.AddTime("end", window.End);
        p.AddText("user", userId);
        p.AddText("model", model);
        p.AddWithValue("limit", pageSize);
        p.AddWithValue("offset", (long)(page - 1) * pageSize);
    };

    private Task<List<T>> ReadAsync<T>(string sql, Action<NpgsqlParameterCollection> parameters, Func<NpgsqlDataReader, T> read, CancellationToken ct) =>
        retry.RunAsync(c => ReadOnceAsync(sql, parameters, read, c), ct);

    private async Task<List<T>> ReadOnceAsync<T>(string sql, Action<NpgsqlParameterCollection> parameters, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(sql);
        parameters(cmd.Parameters);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private Task<long> CountAsync(string sql, Action<NpgsqlParameterCollection> parameters, CancellationToken ct) =>
        retry.RunAsync(c => CountOnceAsync(sql, parameters, c), ct);

    private async Task<long> CountOnceAsync(string sql, Action<NpgsqlParameterCollection> parameters, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(sql);
        parameters(cmd.Parameters);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
