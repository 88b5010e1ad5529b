using Npgsql;

namespace LlmMonitor.WebUi.Queries;

/// <summary>
/// Chooses how a window's values of a tag are ranked: from the recent totals of a span (24 h, 7 or 30 days), from the running totals, or from the
/// window's own rollup rows, whichever serves the window with the least reading.
/// </summary>
public sealed class TagValueSource(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>A way to rank a window's values; all take <see cref="Parameters"/> and @key, and <see cref="ValueRanking"/> reads them.</summary>
    public abstract record Choice(Action<NpgsqlParameterCollection> Parameters);

    /// <summary>
    /// Ranked in SQL. <see cref="Ranked"/>: for an ORDER BY, a statement of the window's values with tag_value, requests,
    /// errors, tokens, cost, unpriced, last_seen, and then the window's distinct values, requests and cost (null when
    /// <see cref="Totals"/> reads them instead); rows @offset to @offset + @limit. last_seen is null where unknown (a
    /// value with calls stamped after the window's end, when read from totals). <see cref="Count"/>: the distinct values alone.
    /// </summary>
    public sealed record InSql(Func<string, string> Ranked, string Count, Action<NpgsqlParameterCollection> Parameters,
        string? Totals = null) : Choice(Parameters);

    /// <summary>
    /// Ranked in the web-ui (<see cref="GroupedHere"/>) from a statement of signed, ungrouped rows; a value's last_seen
    /// not before <see cref="SeenBefore"/> is unknown (null); the values of packs added (not subtracted) are those
    /// <see cref="Keeps"/> keeps.
    /// </summary>
    public sealed record Grouped(string Rows, Action<NpgsqlParameterCollection> Parameters, DateTimeOffset? SeenBefore = null,
        TagValueSums.ValueTest? Keeps = null) : Choice(Parameters);

    public async Task<Choice> ForAsync(TagValueSums sums, TimeWindow window, CancellationToken ct)
    {
        var (bounds, spans) = await BoundsAsync(ct);
        var now = clock.GetUtcNow();
        if (RecentTotalPlan.For(window, spans, now) is { } recent)
        {
            return new InSql(order => RecentRanking.Ranked(sums, order, RecentRows.AllModels), RecentRanking.Count(sums, RecentRows.AllModels),
                p => WithWindow(p, window, recent.AddTo));
        }

        var plan = RunningTotalPlan.For(window, bounds, now);
        return plan is null ? Direct(sums, window)
            : new Grouped(sums.RunningRows, p => WithWindow(p, window, plan.AddTo), window.End, sums.Keeps);
    }

    /// <summary>
    /// With a model, from the tag sums per model: the recent totals of a span that holds less beyond the window than in
    /// it (<see cref="ModelSpanPlan"/>), or else the window's hourly rows; each stale hour (@stale) is read raw. Null when more than <see cref="MaxStaleHours"/> hours are stale.
    /// </summary>
    public async Task<Choice?> ForModelAsync(TimeWindow window, string model, CancellationToken ct)
    {
        var spans = await ModelSpansAsync(ct);
        if (ModelSpanPlan.For(window, spans, clock.GetUtcNow()) is { } recent)
        {
            var rows = RecentRows.OneModel;
            return await StaleHoursAsync("@h0", "@e0", p => WithModel(p, window, recent.AddTo, model), ct) is not { } stale ? null
                : new InSql(order => RecentRanking.Ranked(TagValueSums.Tag, order, rows), RecentRanking.Count(TagValueSums.Tag, rows),
                    p => WithModel(p, window, q => { recent.AddTo(q); q.Add(StaleList(stale)); }, model));
        }

        return await StaleHoursAsync("@h0", "@h1", p => WithModel(p, window, q => q.AddWindow(window), model), ct) is not { } hours ? null
            : new Grouped(TagValueSums.ModelRows(hours.Count > 0),
                p => WithModel(p, window, q => { q.AddWindow(window); q.Add(StaleList(hours)); }, model));
    }

    /// <summary>
    /// The stale hours, passed as the parameter @stale (<see cref="StaleList"/>), or null when there are too many. A list
    /// rather than a subquery of the ranking: PostgreSQL knows its length, where it guessed ~1,000 stale hours of ~2,500
    /// calls each, and grouped a 30-day window's 400,000 rows by sorting them on disk instead of hashing (0.7 s against 0.1 s).
    /// </summary>
    private async Task<List<DateTime>?> StaleHoursAsync(string from, string until, Action<NpgsqlParameterCollection> parameters, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(ModelTagStaleness.Hours(from, until));
        parameters(cmd.Parameters);
        var hours = new List<DateTime>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            hours.Add(reader.GetFieldValue<DateTime>(0));
        }

        return hours.Count > MaxStaleHours ? null : hours;
    }

    private static NpgsqlParameter StaleList(List<DateTime> hours) => WindowSql.TimeList("stale", hours);

    private static void WithModel(NpgsqlParameterCollection parameters, TimeWindow window, Action<NpgsqlParameterCollection> way, string model)
    {
        WithWindow(parameters, window, way);
        parameters.AddText("model", model);
    }

    /// <summary>Stale hours a ranking per model reads raw, ~15,000 calls each at 10M calls a month, before it reads the window raw instead.</summary>
    public const int MaxStaleHours = 8;

    public static Choice Direct(TagValueSums sums, TimeWindow window) => OverPerValue(sums.Direct, p => WithWindow(p, window, q => q.AddWindow(window)));

    /// <summary>
    /// A choice over a statement of every value's sums in the window (tag_value, requests … last_seen). Its totals are a
    /// statement of their own, read beside the page on a second connection: attached to every row by a window function
    /// they cost the one statement ~40 ms of ~145 (43,600 values of one model over 10 days), as it had to keep every row
    /// before the top ones could be taken; apart, the totals group only requests and cost, on the other core.
    /// </summary>
    public static Choice OverPerValue(string perValue, Action<NpgsqlParameterCollection> parameters) => new InSql(order => $"""
        SELECT tag_value, requests, errors, tokens, cost, unpriced, last_seen, NULL::bigint, NULL::bigint, NULL::numeric
        FROM ({perValue}) per_value
        ORDER BY {order}
        LIMIT @limit OFFSET @offset
        """, $"SELECT count(*) FROM ({perValue}) per_value", parameters,
        $"SELECT count(*), coalesce(plain_sum(requests), 0), coalesce(plain_sum(cost), 0) FROM ({perValue}) per_value");

    private static void WithWindow(NpgsqlParameterCollection parameters, TimeWindow window, Action<NpgsqlParameterCollection> way)
    {
        parameters.AddTime("start", window.Start);
        parameters.AddTime("end", window.End);
        way(parameters);
    }

    private async Task<List<RecentSpan>> ModelSpansAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT span_hours, since, until FROM llm_model_tag_recent_since");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var spans = new List<RecentSpan>();
        while (await reader.ReadAsync(ct))
        {
            spans.Add(new(reader.GetInt32(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return spans;
    }

    /// <returns>The running totals' boundaries, and the hours of each span's recent totals.</returns>
    private async Task<(HashSet<DateTimeOffset> Bounds, List<RecentSpan> Spans)> BoundsAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT until, NULL, NULL FROM llm_tag_running_total_bounds WHERE until <> 'infinity'
            UNION ALL
            SELECT since, until, span_hours FROM llm_tag_recent_since
            """);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var bounds = new HashSet<DateTimeOffset>();
        var spans = new List<RecentSpan>();
        while (await reader.ReadAsync(ct))
        {
            var at = reader.GetFieldValue<DateTimeOffset>(0);
            if (reader.IsDBNull(1))
            {
                bounds.Add(at);
            }
            else
            {
                spans.Add(new(reader.GetInt32(2), at, reader.GetFieldValue<DateTimeOffset>(1)));
            }
        }

        return (bounds, spans);
    }
}
