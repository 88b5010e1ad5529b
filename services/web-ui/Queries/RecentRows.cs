namespace LlmMonitor.WebUi.Queries;

/// <summary>
/// What a <see cref="RecentRanking"/> reads: the recent totals (<see cref="Totals"/>, the rows of <see cref="Scope"/>),
/// and the signed rows that correct them to the window (<see cref="Corrections"/>: the columns of
/// <see cref="TagValueSums.Sums"/> and a sign), after the CTEs of <see cref="Prelude"/> (each followed by a comma).
/// </summary>
public sealed record RecentRows(string Totals, string Scope, Func<TagValueSums, string> Corrections, string Prelude = "")
{
    /// <summary>All models: the tag rollups' totals (0009, 0010), kept by the writers' trigger, corrected by the hourly tag rollup.</summary>
    public static readonly RecentRows AllModels = new("llm_tag_recent_totals", "span_hours = @span AND tag_key = @key", sums => $"""
        SELECT {TagValueSums.Sums}, -1 FROM llm_rollup_hourly_tags WHERE tag_key = @key AND hour >= @since AND hour < @h0
        UNION ALL
        {StartMinutes(sums, "true")}
        UNION ALL
        SELECT {TagValueSums.Sums}, 1 FROM llm_rollup_hourly_tags WHERE tag_key = @key AND hour >= @until AND hour < @th
        UNION ALL
        SELECT {sums.RawRow}, -1 FROM llm_events WHERE timestamp >= @end AND timestamp < @th AND {sums.RawWhere}
        """);

    /// <summary>
    /// One model, @model: the totals per model (0016), kept by the aggregator from closed hours, corrected at both ends
    /// (<see cref="ModelSpanPlan"/>): the hours [@since, @h0) and [@e0, @until) subtracted, and the raw calls between
    /// each edge and its hour (from @until on, which the job has not built yet, added). Its stale hours in [@h0, @e0)
    /// (@stale, <see cref="ModelTagStaleness"/>) are taken raw instead of as built.
    /// </summary>
    public static readonly RecentRows OneModel = new("llm_model_tag_recent_totals", "span_hours = @span AND model = @model AND tag_key = @key", sums => $"""
        SELECT {TagValueSums.Sums}, -1 FROM llm_rollup_hourly_model_tags WHERE model = @model AND tag_key = @key AND hour >= @since AND hour < @h0
        UNION ALL
        SELECT {TagValueSums.Sums}, -1 FROM llm_rollup_hourly_model_tags WHERE model = @model AND tag_key = @key AND hour >= @e0 AND hour < @until
        UNION ALL
        {StartMinutes(sums, "model = @model")}
        UNION ALL
        SELECT {sums.RawRow}, CASE WHEN @e0 <= @end THEN 1 ELSE -1 END FROM llm_events
        WHERE timestamp >= least(@e0, @end) AND timestamp < greatest(@e0, @end) AND model = @model AND {sums.RawWhere}
        UNION ALL
        SELECT {TagValueSums.Sums}, -1 FROM llm_rollup_hourly_model_tags
        WHERE model = @model AND tag_key = @key AND hour IN (SELECT hour FROM stale)
        UNION ALL
        {ModelTagStaleness.RawCalls($"{sums.RawRow}, 1", sums.RawWhere)}
        """, "stale AS (SELECT unnest(@stale) AS hour),");

    /// <summary>The raw calls between the window's start and its nearest hour, @h0: subtracted before it, added after it.</summary>
    private static string StartMinutes(TagValueSums sums, string scope) => $"""
        SELECT {sums.RawRow}, CASE WHEN @h0 <= @start THEN -1 ELSE 1 END FROM llm_events
        WHERE timestamp >= least(@h0, @start) AND timestamp < greatest(@h0, @start) AND {scope} AND {sums.RawWhere}
        """;
}
