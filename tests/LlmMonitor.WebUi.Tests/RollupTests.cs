using LlmMonitor.Events;
using LlmMonitor.Storage;
using LlmMonitor.WebUi.Tests.Infrastructure;

namespace LlmMonitor.WebUi.Tests;

/// <summary>
/// The tag and daily rollups that the writer keeps (migration 0002), and the cache and reasoning token sums of every
/// rollup (migration 0004), equal a GROUP BY over llm_events.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class RollupTests(WebUiFixture ui)
{
    [Fact]
    public async Task Tag_and_daily_rollups_equal_a_group_by_and_ignore_repeats()
    {
        Assert.Equal(0, await DifferencesAsync());
        Assert.True(await ui.ScalarAsync<long>("SELECT count(*) FROM llm_rollup_hourly_tags") > 0);
        Assert.True(await ui.ScalarAsync<long>("SELECT least(sum(cache_write_tokens), sum(reasoning_tokens))::bigint FROM llm_rollup_daily_tags") > 0);

        // 300 stored events again (a redelivered batch): nothing is stored or counted twice.
        var stored = await ui.RowsAsync("""
            SELECT event_id, timestamp, model, provider, prompt_tokens, completion_tokens, total_tokens, cached_tokens, cache_write_tokens,
                   reasoning_tokens, latency_ms, cost_usd, status, tags::text
            FROM llm_events ORDER BY event_id LIMIT 300
            """);
        var repeats = stored.Select(r => new EventRow(new LlmEvent((Guid)r[0]!, new DateTimeOffset((DateTime)r[1]!), (string)r[2]!, (string)r[3]!,
            (int)r[4]!, (int)r[5]!, (long)r[6]!, (int)r[7]!, (int)r[8]!, (int)r[9]!, (double?)r[10], (decimal?)r[11], CostSource.Catalogue,
            null, null, null, null, null, (string)r[12]!, null,
            System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>((string)r[13]!)!, null, null), false)).ToList();
        var writer = new EventCopyWriter(ui.Db, new Partitions(ui.Db));
        Assert.Equal(0, await writer.WriteAsync(repeats));
        Assert.Equal(0, await DifferencesAsync());
    }

    /// <summary>Rows where a rollup and the GROUP BY over llm_events disagree, read in one snapshot.</summary>
    private Task<long> DifferencesAsync() => ui.ScalarAsync<long>("""
        WITH tag_truth AS (
            SELECT date_trunc('hour', e.timestamp, 'UTC') AS hour, t.key AS tag_key, t.value AS tag_value, count(*) AS request_count,
                   count(*) FILTER (WHERE e.status = 'error') AS error_count, sum(e.prompt_tokens) AS prompt_tokens,
                   sum(e.completion_tokens) AS completion_tokens, sum(e.total_tokens) AS total_tokens,
                   sum(e.cache_write_tokens) AS cache_write_tokens, sum(e.reasoning_tokens) AS reasoning_tokens,
                   coalesce(sum(e.cost_usd), 0) AS cost_usd, count(*) - count(e.cost_usd) AS unpriced_count
            FROM llm_events e CROSS JOIN LATERAL jsonb_each_text(e.tags) t GROUP BY 1, 2, 3
        ), tag AS (
            SELECT hour, tag_key, tag_value, request_count, error_count, prompt_tokens, completion_tokens, total_tokens, cache_write_tokens,
                   reasoning_tokens, cost_usd, unpriced_count
            FROM llm_rollup_hourly_tags
        ), daily_tag_truth AS (
            SELECT date_trunc('day', hour, 'UTC') AS day, tag_key, tag_value, sum(request_count) AS request_count, sum(error_count) AS error_count,
                   sum(prompt_tokens) AS prompt_tokens, sum(completion_tokens) AS completion_tokens, sum(total_tokens) AS total_tokens,
                   sum(cache_write_tokens) AS cache_write_tokens, sum(reasoning_tokens) AS reasoning_tokens,
                   sum(cost_usd) AS cost_usd, sum(unpriced_count) AS unpriced_count
            FROM tag_truth GROUP BY 1, 2, 3
        ), daily_tag AS (
            SELECT day, tag_key, tag_value, request_count, error_count, prompt_tokens, completion_tokens, total_tokens, cache_write_tokens,
                   reasoning_tokens, cost_usd, unpriced_count
            FROM llm_rollup_daily_tags
        ), latency_truth AS (
            SELECT day, coalesce(model, '') AS model, bucket, count(*) AS count
            FROM (SELECT date_trunc('day', timestamp, 'UTC') AS day, model, llm_latency_bucket(latency_ms) AS bucket
                  FROM llm_events WHERE latency_ms IS NOT NULL) x
            GROUP BY GROUPING SETS ((day, model, bucket), (day, bucket))
        ), latency AS (
            SELECT day, model, first_bucket + i - 1, n FROM llm_rollup_daily_histogram, unnest(counts) WITH ORDINALITY u(n, i) WHERE n > 0
        ), hourly_truth AS (
            SELECT date_trunc('hour', timestamp, 'UTC') AS hour, model, provider, status, sum(cached_tokens) AS cached_tokens,
                   sum(cache_write_tokens) AS cache_write_tokens, sum(reasoning_tokens) AS reasoning_tokens
            FROM llm_events GROUP BY 1, 2, 3, 4
        ), hourly AS (
            SELECT hour, model, provider, status, cached_tokens, cache_write_tokens, reasoning_tokens FROM llm_rollup_hourly
        )
        SELECT (SELECT count(*) FROM ((TABLE tag_truth EXCEPT TABLE tag) UNION ALL (TABLE tag EXCEPT TABLE tag_truth)) a)
             + (SELECT count(*) FROM ((TABLE daily_tag_truth EXCEPT TABLE daily_tag) UNION ALL (TABLE daily_tag EXCEPT TABLE daily_tag_truth)) b)
             + (SELECT count(*) FROM ((TABLE latency_truth EXCEPT TABLE latency) UNION ALL (TABLE latency EXCEPT TABLE latency_truth)) c)
             + (SELECT count(*) FROM ((TABLE hourly_truth EXCEPT TABLE hourly) UNION ALL (TABLE hourly EXCEPT TABLE hourly_truth)) d)
        """);
}
