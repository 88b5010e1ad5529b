namespace LlmMonitor.WebUi.Queries;

/// <summary>
/// The SQL of sessions, traces and users: plain queries over llm_events. The lists read the window's partitions; a
/// session or trace by id reads every partition (no index on the ids yet: they cost ingest too much).
/// </summary>
internal static class CallGroupSql
{
    /// <summary>The user of a group of calls: that of its latest call that names one.</summary>
    private const string LatestUser = "(array_agg(user_id ORDER BY timestamp DESC, event_id DESC) FILTER (WHERE user_id IS NOT NULL))[1]";

    private const string SessionCalls = """
        FROM llm_events
        WHERE session_id IS NOT NULL AND timestamp >= @start AND timestamp < @end
          AND (@user::text IS NULL OR user_id = @user) AND (@model::text IS NULL OR model = @model)
        """;

    public const string Sessions = $"""
        SELECT session_id, {LatestUser}, min(timestamp), max(timestamp), count(*), count(*) FILTER (WHERE status = 'error'),
               sum(total_tokens), coalesce(sum(cost_usd), 0), array_agg(DISTINCT model ORDER BY model)
        {SessionCalls}
        GROUP BY session_id
        ORDER BY max(timestamp) DESC, session_id
        LIMIT @limit OFFSET @offset
        """;

    public const string SessionCount = $"SELECT count(DISTINCT session_id) {SessionCalls}";

    /// <summary>The totals of the calls where <paramref name="column"/> = @id, and the group's user.</summary>
    public static string Totals(string column) => $"""
        SELECT count(*), count(*) FILTER (WHERE status = 'error'), coalesce(sum(total_tokens), 0), coalesce(sum(cost_usd), 0),
               coalesce(sum(latency_ms::numeric), 0), {LatestUser}
        FROM llm_events WHERE {column} = @id
        """;

    /// <summary>The calls where <paramref name="column"/> = @id in time order, at most @limit.</summary>
    public static string Calls(string column) =>
        $"SELECT {ConversationSql.ListColumns} FROM llm_events WHERE {column} = @id ORDER BY timestamp, event_id LIMIT @limit";

    private const string UserCalls = "FROM llm_events WHERE user_id IS NOT NULL AND timestamp >= @start AND timestamp < @end";

    public const string Users = $"""
        SELECT user_id, count(*), count(*) FILTER (WHERE status = 'error'), sum(total_tokens), coalesce(sum(cost_usd), 0), max(timestamp)
        {UserCalls}
        GROUP BY user_id
        ORDER BY 5 DESC, user_id
        LIMIT @limit OFFSET @offset
        """;

    public const string UserCount = $"SELECT count(DISTINCT user_id) {UserCalls}";
}
