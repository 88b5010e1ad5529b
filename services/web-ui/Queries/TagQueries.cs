using LlmMonitor.Storage.Resilience;
using Npgsql;

namespace LlmMonitor.WebUi.Queries;

public sealed record TagUsage(string Value, long Requests, long Errors, long Tokens, decimal Cost, long UnpricedRequests);

/// <summary>Cost, requests and tokens by the values of one tag key (<paramref name="Values"/>: the top ones by cost).</summary>
public sealed record TagBreakdown(string Key, IReadOnlyList<TagUsage> Values, long TotalRequests, decimal TotalCost, long DistinctValues,
    DateTimeOffset StartTime, DateTimeOffset EndTime);

/// <summary>
/// Tag breakdowns from the tag rollups (<see cref="TagValueSums"/>); with a model from the tag sums per model
/// (<see cref="TagValueSource.ForModelAsync"/>), or from llm_events while too many of their hours are stale.
/// </summary>
public sealed class TagQueries(NpgsqlDataSource db, TagValueSource source, ValueRanking ranking, ReadRetry retry)
{
    /// <summary>
    /// With a model while the tag sums per model have too many stale hours in the window (e.g. before the job's first
    /// run), from llm_events: the window's partitions are read, and only the model's rows are grouped.
    /// </summary>
    private const string ModelPerValue = """
        SELECT tags ->> @key AS tag_value, count(*) AS requests, count(*) FILTER (WHERE status = 'error') AS errors,
               plain_sum(total_tokens) AS tokens, coalesce(plain_sum(cost_usd), 0) AS cost, count(*) - count(cost_usd) AS unpriced,
               max(timestamp) AS last_seen
        FROM llm_events
        WHERE timestamp >= @start AND timestamp < @end AND model = @model AND tags ? @key
        GROUP BY 1
        """;

    public Task<TagBreakdown> BreakdownAsync(TimeWindow window, string key, string? model, int limit, CancellationToken ct) =>
        retry.RunAsync(c => ReadBreakdownAsync(window, key, model, limit, c), ct);

    /// <summary>The tag keys seen since <paramref name="since"/> (a skip scan over the daily rollup's key).</summary>
    public Task<IReadOnlyList<string>> KeysAsync(DateTimeOffset since, CancellationToken ct) => retry.RunAsync(c => ReadKeysAsync(since, c), ct);

    private async Task<TagBreakdown> ReadBreakdownAsync(TimeWindow window, string key, string? model, int limit, CancellationToken ct)
    {
        var choice = model is null
            ? await source.ForAsync(TagValueSums.Tag, window, ct)
            : await source.ForModelAsync(window, model, ct) ?? TagValueSource.OverPerValue(ModelPerValue, p =>
            {
                p.AddTime("start", window.Start);
                p.AddTime("end", window.End);
                p.AddText("model", model);
            });
        var page = await ranking.ReadAsync(choice, RankOrder.ByCost, p =>
        {
            choice.Parameters(p);
            p.AddText("key", key);
        }, 0, limit, ct);
        var values = page.Rows.Select(v => new TagUsage(v.Value, v.Requests, v.Errors, v.Tokens, v.Cost, v.Unpriced)).ToList();
        return new TagBreakdown(key, values, page.Requests, page.Cost, page.Distinct, window.Start, window.End);
    }

    private async Task<IReadOnlyList<string>> ReadKeysAsync(DateTimeOffset since, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            WITH RECURSIVE keys AS (
                (SELECT tag_key FROM llm_rollup_daily_tags WHERE day >= @since ORDER BY tag_key LIMIT 1)
                UNION ALL
                SELECT (SELECT d.tag_key FROM llm_rollup_daily_tags d WHERE d.tag_key > k.tag_key AND d.day >= @since ORDER BY d.tag_key LIMIT 1)
                FROM keys k WHERE k.tag_key IS NOT NULL
            )
            SELECT tag_key FROM keys WHERE tag_key IS NOT NULL LIMIT 200
            """);
        cmd.Parameters.AddTime("since", TimeWindow.FloorDay(since));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var keys = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
