namespace LlmMonitor.WebUi.Queries;

/// <summary>
/// A window's sums per value of the tag @key: as a subquery with the columns tag_value, requests, errors, tokens,
/// cost, unpriced and last_seen, read directly (daily and hourly tag rollups and the raw edges of a
/// <see cref="TimeWindow"/>), or as the rows that <see cref="GroupedHere"/> sums (<see cref="ModelRows"/>,
/// <see cref="RunningRows"/>). Each equals a GROUP BY over llm_events in the window.
/// </summary>
/// <param name="RawValue">The value in an llm_events row (the tag, or the column that the tag mirrors).</param>
/// <param name="ValueFilter">Which values count, as a condition on tag_value ("true" for all).</param>
/// <param name="Keeps">The same condition in C#, for the values of a pack.</param>
public sealed record TagValueSums(string RawValue, string ValueFilter, TagValueSums.ValueTest Keeps)
{
    public delegate bool ValueTest(ReadOnlySpan<char> value);

    public static readonly TagValueSums Tag = new("tags ->> @key", "true", _ => true);

    private const string Counts = "tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count";

    internal const string Sums = $"{Counts}, last_seen";

    /// <summary>A group's sums of <see cref="Sums"/>' columns, as requests, errors, tokens, cost, unpriced and last_seen.</summary>
    private const string Summed = """
        plain_sum(request_count) AS requests, plain_sum(error_count) AS errors, plain_sum(total_tokens) AS tokens,
               plain_sum(cost_usd) AS cost, plain_sum(unpriced_count) AS unpriced, max(last_seen) AS last_seen
        """;

    private string RawCounts => $"{RawValue}, 1, (status = 'error')::int, total_tokens, coalesce(cost_usd, 0), (cost_usd IS NULL)::int";

    internal string RawRow => $"{RawCounts}, timestamp";

    internal string RawWhere => $"{RawValue} IS NOT NULL";

    public string Direct => $"""
        SELECT tag_value, {Summed}
        FROM (
            SELECT {Sums} FROM llm_rollup_daily_tags WHERE tag_key = @key AND {WindowSql.Days}
            UNION ALL
            SELECT {Sums} FROM llm_rollup_hourly_tags WHERE tag_key = @key AND {WindowSql.HoursBesideDays}
            UNION ALL
            SELECT {RawRow} FROM {WindowSql.RawEdges("tags, user_id, status, total_tokens, cost_usd, timestamp", RawWhere)} raw
        ) s (tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen)
        WHERE {ValueFilter}
        GROUP BY tag_value
        """;

    /// <summary>
    /// <see cref="Direct"/> of <see cref="Tag"/> for one model, @model, as rows for <see cref="GroupedHere"/>: the packs
    /// of the tag sums per model (migration 0019: a row whose tag_value is null carries one in column 7, its sign in 1) of the window's
    /// whole hours that are not stale, and the stale hours (@stale, <see cref="ModelTagStaleness"/>) and the raw edges
    /// read raw. Without stale hours (the usual case) the statement leaves them out: planning their lateral read over
    /// every partition of the window cost ~40 ms of a 10-day ranking.
    /// </summary>
    public static string ModelRows(bool anyStale)
    {
        var (stale, notStale, staleCalls) = anyStale
            ? ("WITH stale AS (SELECT unnest(@stale) AS hour)", "AND hour NOT IN (SELECT hour FROM stale)",
                $"{ModelTagStaleness.RawCalls($"{Tag.RawRow}, NULL::bytea", Tag.RawWhere)} UNION ALL")
            : ("", "", "");
        return $"""
            {stale}
            SELECT NULL::text, 1::bigint, 0::bigint, 0::bigint, 0::numeric, 0::bigint, NULL::timestamptz, data
            FROM llm_model_tag_packs
            WHERE model = @model AND tag_key = @key AND {WindowSql.Hours} {notStale}
            UNION ALL
            {staleCalls}
            SELECT {Tag.RawRow}, NULL::bytea
            FROM {WindowSql.RawEdges("tags, user_id, model, status, total_tokens, cost_usd, timestamp", $"model = @model AND {Tag.RawWhere}")} raw
            """;
    }

    /// <summary>
    /// The running totals' way (<see cref="RunningTotalPlan"/>), as signed rows for <see cref="GroupedHere"/>: the rows
    /// at the end's boundary (@eb) and its corrections, minus the rows at the start's (@sb) and its corrections. A
    /// boundary's rows are read from its pack (migration 0020; a row with a null tag_value, the sign in column 1 and the
    /// pack in column 7) when it has one, which it has unless its rows changed since the aggregator last packed (the
    /// end's pack filtered by <see cref="Keeps"/>, as its rows are by <see cref="ValueFilter"/>).
    /// last_seen comes from the end's added corrections alone, which reach from some hour up to (or just past) the end:
    /// it is the value's latest call in the window when the latest of them is before the end, and unknown otherwise (the
    /// ranking is told to drop one at or after @end, and the caller looks it up: the totals keep no latest call before an
    /// arbitrary point). Grouped in PostgreSQL instead (a FULL JOIN of the two boundaries' ~50,000 rows each and the
    /// grouped corrections), a 19-day ranking of 50,000 users took ~25 % longer over HTTP, and its totals a second
    /// grouping on the other core.
    /// </summary>
    public string RunningRows => $"""
        SELECT NULL::text, s.sign, 0::bigint, 0::bigint, 0::numeric, 0::bigint, NULL::timestamptz, p.data
        FROM (VALUES (@eb::timestamptz, 1::bigint), (@sb::timestamptz, -1::bigint)) s (until, sign)
        JOIN llm_tag_running_total_packs p ON p.tag_key = @key AND p.until = s.until
        UNION ALL
        SELECT tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, NULL::timestamptz, NULL::bytea
        FROM llm_tag_running_totals WHERE tag_key = @key AND until = @eb AND {ValueFilter}{Unpacked("@eb")}
        UNION ALL
        -- Not filtered: a value the filter drops keeps only these rows, all negative, and GroupedHere leaves out a
        -- value with no calls left. (The users' filter costs ~8 ms per 50,000 rows.)
        SELECT tag_value, -request_count, -error_count, -total_tokens, -cost_usd, -unpriced_count, NULL, NULL
        FROM llm_tag_running_totals WHERE tag_key = @key AND until = @sb{Unpacked("@sb")}
        UNION ALL
        SELECT tag_value, sign * request_count, sign * error_count, sign * total_tokens, sign * cost_usd, sign * unpriced_count,
               CASE WHEN sign > 0 THEN last_seen END, NULL
        FROM (
            {Corrections("e", 1, lastSeen: true)}
            UNION ALL
            {Corrections("s", -1, lastSeen: false)}
        ) c (tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen, sign)
        WHERE {ValueFilter}
        """;

    private static string Unpacked(string until) =>
        $" AND NOT EXISTS (SELECT FROM llm_tag_running_total_packs WHERE tag_key = @key AND until = {until})";

    /// <summary>
    /// What corrects the running-total row at one edge's boundary (parameters prefixed <paramref name="p"/>,
    /// <see cref="RunningEdge"/>) to the edge, times <paramref name="sign"/>: its hourly rows and raw calls. Their
    /// last_seen only when <paramref name="lastSeen"/>.
    /// </summary>
    private string Corrections(string p, int sign, bool lastSeen) => $"""
        SELECT {Counts}, {(lastSeen ? "last_seen" : "NULL::timestamptz")}, {sign} * @{p}hs FROM llm_rollup_hourly_tags
                WHERE tag_key = @key AND hour >= @{p}h0 AND hour < @{p}h1
                UNION ALL
                SELECT {RawCounts}, {(lastSeen ? "timestamp" : "NULL::timestamptz")}, {sign} * @{p}rs FROM llm_events
                WHERE timestamp >= @{p}r0 AND timestamp < @{p}r1 AND {RawWhere}
        """;
}
