using LlmMonitor.AggregatorTests.Infrastructure;
using LlmMonitor.Storage.Rollups;

namespace LlmMonitor.AggregatorTests;

public sealed class RollupCheckTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);
    private TestDatabase _db = null!;
    private TestJobs _jobs = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _jobs = new TestJobs(_db, new TestClock(Now));
        var book = await StoredEvents.BookAsync(_db);
        // Ten days up to now, three models, tags, errors, missing latencies, unpriced events.
        await _db.Writer.WriteAsync([
            .. TestEvents.Spread(book, "gpt-4o", Now.AddDays(-10), TimeSpan.FromDays(10), 600, 1),
            .. TestEvents.Spread(book, "claude-sonnet-4", Now.AddDays(-10), TimeSpan.FromDays(10), 300, 2),
            .. TestEvents.Spread(book, "acme-llm", Now.AddDays(-10), TimeSpan.FromDays(10), 100, 3),
        ]);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Without_drift_it_reports_so_and_changes_nothing()
    {
        var before = await Snapshot.TakeAsync(_db);

        var report = await _jobs.RollupCheck.RunAsync(3, null, CancellationToken.None);

        Assert.Contains("rollups equal llm_events", report);
        Assert.Equal(before, await Snapshot.TakeAsync(_db));
    }

    [Fact]
    public async Task It_repairs_drift_in_every_rollup_table_of_the_last_days_and_reports_it()
    {
        await _db.ExecuteAsync("""
            UPDATE llm_rollup_hourly SET cost_usd = cost_usd + 1 WHERE hour = (SELECT min(hour) FROM llm_rollup_hourly WHERE hour >= '2025-06-14');
            UPDATE llm_rollup_hourly SET request_count = request_count + 5 WHERE hour = (SELECT max(hour) FROM llm_rollup_hourly);
            DELETE FROM llm_rollup_hourly_tags WHERE hour = (SELECT min(hour) FROM llm_rollup_hourly_tags WHERE hour >= '2025-06-13');
            INSERT INTO llm_rollup_daily_tags (tag_key, day, tag_value, request_count, error_count, prompt_tokens, completion_tokens,
                total_tokens, cost_usd, unpriced_count) VALUES ('ghost', '2025-06-14', 'x', 1, 0, 1, 1, 2, 0.5, 0);
            UPDATE llm_rollup_hourly_histogram SET counts[1] = counts[1] * 2 WHERE hour = (SELECT min(hour) FROM llm_rollup_hourly_histogram WHERE hour >= '2025-06-15');
            UPDATE llm_rollup_daily_histogram SET counts[1] = counts[1] + 1 WHERE day = '2025-06-13';
            UPDATE llm_sessions SET calls = calls + 1, models = models || 'ghost'::text WHERE session_id = (SELECT min(session_id) FROM llm_sessions WHERE last_seen >= '2025-06-14');
            DELETE FROM llm_traces WHERE trace_id = (SELECT min(trace_id) FROM llm_traces WHERE last_seen >= '2025-06-15');
            """);

        var report = await _jobs.RollupCheck.RunAsync(3, null, CancellationToken.None);

        foreach (var table in new[] { "llm_rollup_hourly", "llm_rollup_hourly_tags", "llm_rollup_daily_tags", "llm_rollup_hourly_histogram", "llm_rollup_daily_histogram", "llm_sessions", "llm_traces" })
        {
            Assert.Contains(table, report);
        }

        Assert.Contains("2025-06-14", report);
        await RollupAssert.EqualsGroupByAsync(_db);
        Assert.Contains("rollups equal llm_events", await _jobs.RollupCheck.RunAsync(3, null, CancellationToken.None));
    }

    [Fact]
    public async Task Drift_in_the_cache_write_and_reasoning_sums_alone_is_found_and_repaired()
    {
        await _db.ExecuteAsync("""
            UPDATE llm_rollup_hourly SET cache_write_tokens = cache_write_tokens + 7 WHERE hour = (SELECT max(hour) FROM llm_rollup_hourly);
            UPDATE llm_rollup_hourly_tags SET reasoning_tokens = 0 WHERE hour >= '2025-06-14' AND reasoning_tokens > 0;
            UPDATE llm_rollup_daily_tags SET cache_write_tokens = cache_write_tokens - 1 WHERE day = '2025-06-13' AND cache_write_tokens > 0;
            """);

        var report = await _jobs.RollupCheck.RunAsync(3, null, CancellationToken.None);

        foreach (var table in new[] { "llm_rollup_hourly", "llm_rollup_hourly_tags", "llm_rollup_daily_tags" })
        {
            Assert.Contains(table, report);
        }

        await RollupAssert.EqualsGroupByAsync(_db);
    }

    /// <summary>Every row of the tag sums per model, of their span totals and of their packs, as text.</summary>
    private Task<string> ModelTagSumsAsync() => _db.ScalarAsync<string>("""
        SELECT coalesce((SELECT string_agg(concat_ws('|', model, tag_key, hour, tag_value, request_count, error_count, total_tokens, cost_usd,
                   unpriced_count, last_seen), ';' ORDER BY model, tag_key, hour, tag_value) FROM llm_rollup_hourly_model_tags), '')
            || ' / ' || coalesce((SELECT string_agg(concat_ws('|', span_hours, model, tag_key, tag_value, request_count, error_count, total_tokens,
                   cost_usd, unpriced_count), ';' ORDER BY span_hours, model, tag_key, tag_value) FROM llm_model_tag_recent_totals), '')
            || ' / ' || coalesce((SELECT string_agg(concat_ws('|', model, tag_key, hour, md5(data)), ';' ORDER BY model, tag_key, hour)
                   FROM llm_model_tag_packs), '')
        """);

    [Fact]
    public async Task Drift_in_the_tag_sums_per_model_is_found_and_rebuilt()
    {
        await new ModelTagRollups(_db.Db).RefreshAsync(Now, TimeSpan.MaxValue, CancellationToken.None);
        var built = await ModelTagSumsAsync();
        Assert.Contains("gpt-4o", built);
        await _db.ExecuteAsync("""
            UPDATE llm_rollup_hourly_model_tags SET cost_usd = cost_usd + 1 WHERE (model, tag_key, hour, tag_value) =
                (SELECT model, tag_key, hour, tag_value FROM llm_rollup_hourly_model_tags WHERE hour >= '2025-06-14' ORDER BY hour, model, tag_key, tag_value LIMIT 1);
            DELETE FROM llm_rollup_hourly_model_tags WHERE (model, tag_key, hour, tag_value) =
                (SELECT model, tag_key, hour, tag_value FROM llm_rollup_hourly_model_tags WHERE hour >= '2025-06-15' ORDER BY hour, model, tag_key, tag_value LIMIT 1);
            UPDATE llm_model_tag_recent_totals SET request_count = request_count + 3 WHERE (span_hours, model, tag_key, tag_value) =
                (SELECT span_hours, model, tag_key, tag_value FROM llm_model_tag_recent_totals ORDER BY 1, 2, 3, 4 LIMIT 1);
            -- A pack that decodes but holds another hour's rows: drift too.
            WITH target AS (
                SELECT model, tag_key, hour FROM llm_model_tag_packs WHERE hour >= '2025-06-13' AND hour < '2025-06-14' ORDER BY hour, model, tag_key LIMIT 1)
            UPDATE llm_model_tag_packs p SET data = (
                SELECT o.data FROM llm_model_tag_packs o WHERE (o.model, o.tag_key) = (t.model, t.tag_key) AND o.hour <> t.hour ORDER BY o.hour DESC LIMIT 1)
            FROM target t WHERE (p.model, p.tag_key, p.hour) = (t.model, t.tag_key, t.hour);
            """);

        var report = await _jobs.RollupCheck.RunAsync(3, null, CancellationToken.None);

        Assert.Contains("llm_rollup_hourly_model_tags 3 hours", report);
        Assert.Contains("llm_model_tag_recent_totals", report);
        Assert.Equal(built, await ModelTagSumsAsync());
        Assert.Contains("rollups equal llm_events", await _jobs.RollupCheck.RunAsync(3, null, CancellationToken.None));
    }

    [Fact]
    public async Task Hours_of_the_tag_sums_per_model_that_late_calls_made_stale_are_left_to_their_job()
    {
        await new ModelTagRollups(_db.Db).RefreshAsync(Now, TimeSpan.MaxValue, CancellationToken.None);
        var built = await ModelTagSumsAsync();
        await _db.Writer.WriteAsync([.. TestEvents.Spread(await StoredEvents.BookAsync(_db), "gpt-4o", Now.AddDays(-1), TimeSpan.FromMinutes(30), 3, 9)]);

        Assert.Contains("rollups equal llm_events", await _jobs.RollupCheck.RunAsync(3, null, CancellationToken.None));
        Assert.Equal(built, await ModelTagSumsAsync());
    }

    [Fact]
    public async Task It_checks_only_the_last_days()
    {
        await _db.ExecuteAsync("UPDATE llm_rollup_hourly SET cost_usd = cost_usd + 1 WHERE hour = '2025-06-08T10:00:00Z'");

        var report = await _jobs.RollupCheck.RunAsync(3, null, CancellationToken.None);

        Assert.Contains("rollups equal llm_events", report);
        await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => RollupAssert.EqualsGroupByAsync(_db)); // 8 June: not checked
        Assert.Contains("2025-06-08", await _jobs.RollupCheck.RunAsync(8, null, CancellationToken.None));
        await RollupAssert.EqualsGroupByAsync(_db);
    }
}
