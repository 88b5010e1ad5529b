using LlmMonitor.Storage.Rollups;

namespace LlmMonitor.WebUi.Queries;

/// <summary>
/// The hours of @model whose tag sums per model (migration 0016) are stale: llm_rollup_hourly's figures for the hour
/// (its calls, cost and unpriced calls, kept in step with the calls by the writer) differ from those the aggregator built
/// them from, or it has not built them. Their calls are read raw instead.
/// </summary>
public static class ModelTagStaleness
{
    /// <summary>Stale hours of @model in [<paramref name="from"/>, <paramref name="until"/>), as a statement with the column hour.</summary>
    public static string Hours(string from, string until) => $"""
        SELECT coalesce(r.hour, b.hour) AS hour
        FROM ({ModelTagRollups.HourFigures} WHERE model = @model AND hour >= {from} AND hour < {until} GROUP BY hour, model) r
        FULL JOIN (
            SELECT hour, request_count, cost_usd, unpriced_count FROM llm_model_tag_hours
            WHERE model = @model AND hour >= {from} AND hour < {until}
        ) b ON b.hour = r.hour
        WHERE (r.request_count, r.cost_usd, r.unpriced_count) IS DISTINCT FROM (b.request_count, b.cost_usd, b.unpriced_count)
        """;

    /// <summary>
    /// <paramref name="select"/> over the calls of @model in each hour of the CTE stale that meet <paramref name="where"/>:
    /// an index range per stale hour (not flattened, or every partition's calls would be joined to the hours).
    /// </summary>
    public static string RawCalls(string select, string where) => $"""
        SELECT raw.* FROM stale CROSS JOIN LATERAL (
            SELECT {select} FROM llm_events
            WHERE timestamp >= stale.hour AND timestamp < stale.hour + interval '1 hour' AND model = @model AND {where}
            OFFSET 0
        ) raw
        """;
}
