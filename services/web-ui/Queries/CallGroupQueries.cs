using LlmMonitor.Storage.Resilience;
using Npgsql;

namespace LlmMonitor.WebUi.Queries;

/// <summary>Sessions, traces and end users: calls grouped by session_id, trace_id and user_id.</summary>
public sealed class CallGroupQueries(NpgsqlDataSource db, ReadRetry retry)
{
    /// <summary>The most calls a session's or a trace's answer lists (the first ones); its totals count them all.</summary>
    public const int MaxCalls = 10_000;

    /// <summary>Sessions with calls in the window that match the filters, newest activity first.</summary>
    public async Task<SessionPage> SessionsAsync(TimeWindow window, string? userId, string? model, int page, int pageSize, CancellationToken ct)
    {
        var items = ReadAsync(CallGroupSql.Sessions, Parameters(window, userId, model, page, pageSize), r => new SessionSummary(
            r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetFieldValue<DateTimeOffset>(3),
            r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetDecimal(7), r.GetFieldValue<string[]>(8)), ct);
        var total = CountAsync(CallGroupSql.SessionCount, Parameters(window, userId, model, page, pageSize), ct);
        return new SessionPage(await items, page, pageSize, await total);
    }

    /// <returns>Null when no stored call has this session_id.</returns>
    public async Task<SessionDetail?> SessionAsync(string sessionId, CancellationToken ct)
    {
        var (totals, userId) = await TotalsAsync("session_id", sessionId, ct);
        return totals.Calls == 0 ? null : new SessionDetail(sessionId, userId, await CallsAsync("session_id", sessionId, ct), totals);
    }

    /// <returns>Null when no stored call has this trace_id.</returns>
    public async Task<TraceDetail?> TraceAsync(string traceId, CancellationToken ct)
    {
        var (totals, _) = await TotalsAsync("trace_id", traceId, ct);
        return totals.Calls == 0 ? null : new TraceDetail(traceId, await CallsAsync("trace_id", traceId, ct), totals);
    }

    /// <summary>End users with calls in the window, highest cost first.</summary>
    public async Task<UserPage> UsersAsync(TimeWindow window, int page, int pageSize, CancellationToken ct)
    {
        var items = ReadAsync(CallGroupSql.Users, Parameters(window, null, null, page, pageSize), r => new UserSummary(
            r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetDecimal(4), r.GetFieldValue<DateTimeOffset>(5)), ct);
        var total = CountAsync(CallGroupSql.UserCount, Parameters(window, null, null, page, pageSize), ct);
        return new UserPage(await items, page, pageSize, await total);
    }

    private async Task<(CallTotals Totals, string? UserId)> TotalsAsync(string column, string id, CancellationToken ct)
    {
        var rows = await ReadAsync(CallGroupSql.Totals(column), p => p.AddText("id", id), r => (
            new CallTotals(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetDecimal(3), r.GetDecimal(4)),
            r.IsDBNull(5) ? null : r.GetString(5)), ct);
        return rows[0];
    }

    private Task<List<Conversation>> CallsAsync(string column, string id, CancellationToken ct) =>
        ReadAsync(CallGroupSql.Calls(column), p =>
        {
            p.AddText("id", id);
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
