using System.Net;
using System.Text.Json.Nodes;
using LlmMonitor.IntegrationTests.Infrastructure;

namespace LlmMonitor.IntegrationTests;

[Collection(StackCollection.Name)]
public sealed class ExactlyOnceTests(StackFixture stack)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_same_event_id_sent_three_ways_is_stored_and_counted_once(bool withTimestamp)
    {
        var model = TestEvents.UniqueModel();
        var id = Guid.NewGuid();
        DateTimeOffset? timestamp = withTimestamp ? DateTimeOffset.UtcNow.AddMinutes(-5) : null;
        JsonObject Copy() => TestEvents.Event(model, id: id, timestamp: timestamp);

        Assert.Equal(HttpStatusCode.Accepted, (await stack.GatewayClient.PostAsync("/api/events", TestEvents.Json(Copy()))).StatusCode);
        Assert.Equal(1, await stack.WaitForCountAsync(1, Patience, "SELECT count(*) FROM llm_events WHERE model = $1", model));
        // Each later copy travels with a marker in the same message, so in the same transaction: once both
        // markers are stored, every copy has been either stored or refused.
        var markers = new[] { TestEvents.UniqueModel(), TestEvents.UniqueModel() };
        Assert.Equal(HttpStatusCode.Accepted, (await stack.GatewayClient.PostAsync("/api/events/batch",
            TestEvents.Json(TestEvents.Array([Copy(), Copy(), TestEvents.Event(markers[0])])))).StatusCode);
        await stack.Amqp.PublishAsync(TestEvents.Bytes(TestEvents.Array([Copy(), TestEvents.Event(markers[1])])));

        Assert.Equal(2, await stack.WaitForCountAsync(2, Patience, "SELECT count(*) FROM llm_events WHERE model = ANY($1)", (object)markers));
        Assert.Equal(1, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE event_id = $1", id));
        Assert.Equal(1, await stack.CountAsync("SELECT coalesce(sum(request_count), 0) FROM llm_rollup_hourly WHERE model = $1", model));
        Assert.Equal(1, await stack.CountAsync("SELECT coalesce(sum(n), 0) FROM llm_rollup_hourly_histogram, unnest(counts) n WHERE model = $1", model));
    }

    [Fact]
    public async Task One_event_id_without_timestamp_in_many_concurrent_batches_of_two_writers_is_stored_and_counted_once()
    {
        var model = TestEvents.UniqueModel();
        var id = Guid.NewGuid();
        var markers = Enumerable.Range(0, 60).Select(_ => TestEvents.UniqueModel()).ToArray();
        await using var secondWriter = stack.NewService("writer-worker", "LlmMonitor.WriterWorker");
        await secondWriter.StartAsync();

        // Without a timestamp each copy is stored at its own receive time, so the primary key cannot tell them
        // apart: only the id lookup can, and it must hold while two writers' batches take copies at once.
        await stack.Amqp.PublishManyAsync(markers.Select(marker =>
            TestEvents.Bytes(TestEvents.Array([TestEvents.Event(model, id: id), TestEvents.Event(marker)]))));

        Assert.Equal(markers.Length, await stack.WaitForCountAsync(markers.Length, Patience,
            "SELECT count(*) FROM llm_events WHERE model = ANY($1)", (object)markers));
        Assert.Equal(1, await stack.CountAsync("SELECT count(*) FROM llm_events WHERE event_id = $1", id));
        Assert.Equal(1, await stack.CountAsync("SELECT coalesce(sum(request_count), 0) FROM llm_rollup_hourly WHERE model = $1", model));
        Assert.Equal(0, await RollupDifferencesAsync(stack)); // every rollup, the tag and daily ones too
    }

    [Fact]
    public async Task The_rollups_equal_a_group_by_over_llm_events()
    {
        var models = Enumerable.Range(0, 3).Select(i => TestEvents.UniqueModel(i == 0 ? "gpt-4o" : i == 1 ? "claude-3-5-haiku" : "mystery")).ToArray();
        var now = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(0, 600).Select(i =>
        {
            var e = TestEvents.Event(models[i % 3], promptTokens: i, completionTokens: i % 17, latencyMs: 10 + i * 3.7,
                timestamp: now.AddHours(-(i % 50)), status: i % 11 == 0 ? "error" : "success");
            if (i % 7 == 0)
            {
                e["cost_usd"] = 0.001m * i;
            }

            if (i % 5 == 0)
            {
                e.Remove("latency_ms");
            }

            if (i % 3 == 0)
            {
                e["cache_write_tokens"] = i / 3;
                e["reasoning_tokens"] = i % 17 / 2;
            }

            return e;
        }).ToList();

        var response = await stack.GatewayClient.PostAsync("/api/events/batch", TestEvents.Json(TestEvents.Array(events)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(600, await stack.WaitForCountAsync(600, Patience, "SELECT count(*) FROM llm_events WHERE model = ANY($1)", (object)models));

        Assert.Equal(0, await RollupDifferencesAsync(stack));
    }

    /// <summary>Rows where any rollup and a GROUP BY over llm_events disagree, read in one snapshot.</summary>
    public static Task<long> RollupDifferencesAsync(StackFixture stack) => stack.CountAsync(RollupDifferencesSql);

    /// <inheritdoc cref="RollupDifferencesAsync(StackFixture)"/>
    public static Task<long> RollupDifferencesAsync(ClusterStack stack) => stack.CountAsync(RollupDifferencesSql);

    private static string RollupDifferencesSql => $"""
        SELECT {Differences(
            """
            SELECT date_trunc('hour', timestamp), model, provider, status, count(*), sum(prompt_tokens), sum(completion_tokens),
                   sum(total_tokens), sum(cached_tokens), sum(cache_write_tokens), sum(reasoning_tokens), coalesce(sum(cost_usd), 0),
                   count(*) - count(cost_usd), count(latency_ms), coalesce(sum(latency_ms::numeric), 0)
            FROM llm_events GROUP BY 1, 2, 3, 4
            """,
            """
            SELECT hour, model, provider, status, request_count, prompt_tokens, completion_tokens, total_tokens,
                   cached_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unpriced_count, latency_count, latency_ms_sum
            FROM llm_rollup_hourly
            """)}
        + {Differences(
            HistogramTruth("hour"),
            "SELECT hour, model, first_bucket + i - 1, n FROM llm_rollup_hourly_histogram, unnest(counts) WITH ORDINALITY u(n, i) WHERE n > 0")}
        + {Differences(
            HistogramTruth("day"),
            "SELECT day, model, first_bucket + i - 1, n FROM llm_rollup_daily_histogram, unnest(counts) WITH ORDINALITY u(n, i) WHERE n > 0")}
        + {Differences(TagTruth("hour"), TagRollup("hour", "llm_rollup_hourly_tags"))}
        + {Differences(TagTruth("day"), TagRollup("day", "llm_rollup_daily_tags"))}
        + {Differences(
            """
            SELECT session_id, (array_agg(user_id ORDER BY timestamp DESC, event_id DESC) FILTER (WHERE user_id IS NOT NULL))[1],
                   min(timestamp), max(timestamp), count(*), count(*) FILTER (WHERE status = 'error'), sum(total_tokens),
                   coalesce(sum(cost_usd), 0), count(*) - count(cost_usd), coalesce(sum(latency_ms::numeric), 0),
                   array_agg(DISTINCT model COLLATE "C" ORDER BY model COLLATE "C")
            FROM llm_events e WHERE session_id IS NOT NULL GROUP BY 1
            """,
            """
            SELECT session_id, user_id, first_seen, last_seen, calls, errors, total_tokens, cost_usd, unpriced_count,
                   latency_ms_sum, models
            FROM llm_sessions
            """)}
        + {Differences(
            "SELECT trace_id, min(timestamp), max(timestamp) FROM llm_events WHERE trace_id IS NOT NULL GROUP BY 1",
            "SELECT trace_id, first_seen, last_seen FROM llm_traces")}
        """;

    /// <summary>Per period, model and bucket, and per period and bucket for all models together (model '').</summary>
    private static string HistogramTruth(string period) => $"""
        SELECT p, coalesce(model, ''), bucket, count(*)
        FROM (SELECT date_trunc('{period}', timestamp) AS p, model, llm_latency_bucket(latency_ms) AS bucket FROM llm_events WHERE latency_ms IS NOT NULL) e
        GROUP BY GROUPING SETS ((p, model, bucket), (p, bucket))
        """;

    private static string Differences(string truth, string rollup) =>
        $"(SELECT count(*) FROM (({truth} EXCEPT {rollup}) UNION ALL ({rollup} EXCEPT {truth})) d)";

    private static string TagTruth(string period) => $"""
        SELECT t.key, date_trunc('{period}', e.timestamp), t.value, count(*), count(*) FILTER (WHERE e.status = 'error'),
               sum(e.prompt_tokens), sum(e.completion_tokens), sum(e.total_tokens), sum(e.cache_write_tokens), sum(e.reasoning_tokens),
               coalesce(sum(e.cost_usd), 0), count(*) - count(e.cost_usd), max(e.timestamp)
        FROM llm_events e CROSS JOIN LATERAL jsonb_each_text(e.tags) t GROUP BY 1, 2, 3
        """;

    private static string TagRollup(string period, string table) => $"""
        SELECT tag_key, {period}, tag_value, request_count, error_count, prompt_tokens, completion_tokens, total_tokens,
               cache_write_tokens, reasoning_tokens, cost_usd, unpriced_count, last_seen
        FROM {table}
        """;
}
