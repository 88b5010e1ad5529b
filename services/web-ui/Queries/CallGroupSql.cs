namespace LlmMonitor.WebUi.Queries;

/// <summary>
/// The SQL of sessions, traces and users. Sessions are read from llm_sessions (one row per session, the totals of
/// all its calls); a session's or trace's calls from llm_events between its first and last call (the primary key's
/// time range: llm_events has no index on the ids); users from the tag rollups of user_id (the writer keeps every
/// user_id as that tag too).
/// </summary>
internal static class CallGroupSql
{
    /// <summary>Sessions whose latest call is in the window, of the user and with a call to the model when given.</summary>
    private const string SessionFilter = """
        FROM llm_sessions
        WHERE last_seen >= @start AND last_seen < @end
          AND (@user::text IS NULL OR user_id = @user) AND (@model::text IS NULL OR @model = ANY(models))
        """;

    public const string Sessions = $"""
        SELECT session_id, user_id, first_seen, last_seen, calls, errors, total_tokens, cost_usd, models
        {SessionFilter}
        ORDER BY last_seen DESC, session_id
        LIMIT @limit OFFSET @offset
        """;

    public const string SessionCount = $"SELECT count(*) {SessionFilter}";

    /// <summary>
    /// <see cref="SessionCount"/> without a user: the sessions of the window's whole hours [@h0, @h1) from
    /// llm_session_hours (migration 0011), those of its partial first and last hours from llm_sessions.
    /// </summary>
    public const string SessionCountByHour = """
        SELECT coalesce((SELECT sum(sessions) FROM llm_session_hours
                         WHERE model = coalesce(@model::text, '') AND hour >= @h0 AND hour < @h1), 0)::bigint
             + (SELECT count(*) FROM llm_sessions
                WHERE (last_seen >= @start AND last_seen < @h0 OR last_seen >= @h1 AND last_seen < @end)
                  AND (@model::text IS NULL OR @model = ANY(models)))
        """;

    public const string Session = """
        SELECT calls, errors, total_tokens, cost_usd, latency_ms_sum, user_id, first_seen, last_seen
        FROM llm_sessions WHERE session_id = @id
        """;

    public const string Trace = "SELECT first_seen, last_seen FROM llm_traces WHERE trace_id = @id";

    private const string InRange = "timestamp >= @first AND timestamp <= @last";

    /// <summary>The totals of the calls in [@first, @last] where <paramref name="column"/> = @id.</summary>
    public static string Totals(string column) => $"""
        SELECT count(*), count(*) FILTER (WHERE status = 'error'), coalesce(sum(total_tokens), 0), coalesce(sum(cost_usd), 0),
               coalesce(sum(latency_ms::numeric), 0)
        FROM llm_events WHERE {InRange} AND {column} = @id
        """;

    /// <summary>The calls in [@first, @last] where <paramref name="column"/> = @id in time order, at most @limit.</summary>
    public static string Calls(string column) =>
        $"SELECT {ConversationSql.ListColumns} FROM llm_events WHERE {InRange} AND {column} = @id ORDER BY timestamp, event_id LIMIT @limit";

    /// <summary>
    /// A tag user_id names a user when it is a valid user_id: 1–200 characters, not only white space (the validator's rule;
    /// here ASCII white space, as a regular expression over every row costs more than the rest of the query).
    /// </summary>
    private const string IsUser = "length(tag_value) <= 200 AND btrim(tag_value, E' \t\n\r\f\v') <> ''";

    /// <summary><see cref="IsUser"/> for a pack's values: characters counted as PostgreSQL's length() counts them, by code point.</summary>
    private static bool IsUserValue(ReadOnlySpan<char> value)
    {
        if (value.Trim(" \t\n\r\f\v").IsEmpty)
        {
            return false;
        }

        var codePoints = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            codePoints++;
        }

        return codePoints <= 200;
    }

    /// <summary>Per user: the tag user_id's sums; the raw edges read the column it mirrors.</summary>
    public static readonly TagValueSums UserSums = new("user_id", IsUser, IsUserValue);

    /// <summary>
    /// The latest call before @end of each user of @users, all with calls in the window (so that call is in it): the
    /// latest of the raw calls from the end's hour (@r0) on, the hourly rows of @hours (the end's day before that hour)
    /// and the daily rows of @days (the window's days before the end's). Index lookups per user, and one hour of calls.
    /// </summary>
    public const string UsersLastCall = """
        WITH raw AS MATERIALIZED ( -- read once, not once per user
            SELECT user_id, max(timestamp) AS last_call FROM llm_events
            WHERE timestamp >= @r0 AND timestamp < @end AND user_id = ANY(@users)
            GROUP BY user_id
        )
        SELECT u.user_id, greatest(
            (SELECT last_call FROM raw WHERE raw.user_id = u.user_id),
            (SELECT max(last_seen) FROM llm_rollup_hourly_tags WHERE tag_key = 'user_id' AND hour = ANY(@hours) AND tag_value = u.user_id),
            (SELECT max(last_seen) FROM llm_rollup_daily_tags WHERE tag_key = 'user_id' AND day = ANY(@days) AND tag_value = u.user_id))
        FROM unnest(@users::text[]) u (user_id)
        """;
}
