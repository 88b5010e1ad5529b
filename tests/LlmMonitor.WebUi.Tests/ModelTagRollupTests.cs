using LlmMonitor.Configuration;
using LlmMonitor.Events;
using LlmMonitor.Pricing;
using LlmMonitor.Storage;
using LlmMonitor.Storage.Reads;
using LlmMonitor.Storage.Resilience;
using LlmMonitor.Storage.Rollups;
using LlmMonitor.WebUi.Queries;
using LlmMonitor.WebUi.Tests.Infrastructure;
using Npgsql;
using static LlmMonitor.WebUi.Tests.Infrastructure.Json;
using ServiceProcess = LlmMonitor.IntegrationTests.Infrastructure.ServiceProcess;

namespace LlmMonitor.WebUi.Tests;

/// <summary>
/// The tag breakdown with a model filter (the dashboard with a model chosen) reads the aggregator's tag sums per model
/// (migration 0016) for the last day, 7 and 30 days: 31 days of calls of three models (one unpriced), errors and ties,
/// built by <see cref="ModelTagRollups"/>; then calls arrive late into built hours and costs change under them, and
/// every number still equals plain SQL over llm_events, before the job rebuilds those hours and after.
/// </summary>
public sealed class ModelTagRollupTests : IAsyncLifetime
{
    private static readonly string[] Models = ["gpt-4o", "claude-3-5-haiku", "house-model"];
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private ScratchDatabase _database = null!;
    private NpgsqlDataSource _db = null!;
    private EventCopyWriter _writer = null!;
    private ServiceProcess _webUi = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _database = await ScratchDatabase.CreateAsync("llmmon_ui_mt");
        _db = _database.Db;
        _writer = new EventCopyWriter(_db, new Partitions(_db));
        // Every 37 minutes for 31 days, so that every span's start and end hours hold calls; a call every 5 minutes near now.
        var rows = Enumerable.Range(0, 31 * 24 * 60 / 37).Select(i => _now.AddMinutes(-37 * i - 1))
            .Concat(Enumerable.Range(0, 30).Select(i => _now.AddMinutes(-5 * i - 2)))
            .Select((at, i) => Row(at, Models[i % 3], $"u-{i % 7}", (i % 4) switch { 0 => "chat", 1 => "search", _ => "extract" }, error: i % 11 == 0));
        foreach (var batch in rows.Chunk(500))
        {
            await _writer.WriteAsync(batch);
        }

        // Equal costs on both sides of a page boundary, and a value of one model only.
        await _writer.WriteAsync([.. Enumerable.Range(0, 4).Select(i => Row(_now.AddHours(-3).AddSeconds(i), "gpt-4o", $"u-tie-{i}", "tie", error: false))]);
        await new ModelTagRollups(_db).RefreshAsync(_now, TimeSpan.FromMinutes(5), CancellationToken.None);
        _webUi = WebUiProcess.Create(WebUiFixture.Environment(_database.ConnectionString));
        await _webUi.StartAsync(waitReady: false);
        _http = _webUi.Client();
    }

    /// <summary>Windows ending now that start a span before now, give or take minutes: each side of the start's hour.</summary>
    public static TheoryData<int, int> SpanWindows => new()
    {
        { 24, 0 }, { 24, -20 }, { 24, 25 }, { 168, 0 }, { 168, 40 }, { 720, 0 }, { 720, -35 },
    };

    [Theory]
    [MemberData(nameof(SpanWindows))]
    public async Task Breakdowns_with_a_model_equal_sql(int spanHours, int minutesLater)
    {
        var start = _now.AddHours(-spanHours).AddMinutes(minutesLater).AddSeconds(-0.75);
        await AssertBreakdownsEqualSqlAsync(start, _now);
    }

    /// <summary>Windows no span serves (minutes back from now to their start and end): the hourly sums per model, edges raw.</summary>
    [Theory]
    [InlineData(60, 0)]
    [InlineData(3 * 24 * 60 + 313, 127)]
    [InlineData(20 * 24 * 60 - 17, 6 * 24 * 60 + 40)]
    [InlineData(29 * 24 * 60 + 50, 24 * 60 + 3)]
    [InlineData(25 * 24 * 60 + 20, 190)]
    [InlineData(6 * 24 * 60 + 300, 600)]
    [InlineData(7 * 24 * 60 - 30, 35)]
    public async Task Breakdowns_with_a_model_over_other_windows_equal_sql(int startMinutes, int endMinutes) =>
        await AssertBreakdownsEqualSqlAsync(_now.AddMinutes(-startMinutes).AddSeconds(0.5), _now.AddMinutes(-endMinutes).AddSeconds(-0.25));

    [Fact]
    public async Task Other_windows_with_a_model_read_the_packs_of_the_hourly_sums_per_model()
    {
        var (start, end) = (_now.AddDays(-9).AddMinutes(-7), _now.AddDays(-1));
        var hour = (await RowsAsync("""
            SELECT max(hour) FROM llm_rollup_hourly_model_tags
            WHERE model = 'gpt-4o' AND tag_key = 'feature' AND tag_value = 'chat' AND hour >= @s AND hour < @e - interval '1 hour'
            """, start, end))[0][0]!;
        var before = await RequestsAsync("gpt-4o", "feature", "chat", start, end);
        await ShiftPackAsync(hour, 1000);
        Assert.Equal(before + 1000, await RequestsAsync("gpt-4o", "feature", "chat", start, end));
        await ShiftPackAsync(hour, -1000);
        Assert.Equal(before, await RequestsAsync("gpt-4o", "feature", "chat", start, end));
    }

    /// <summary>Adds <paramref name="requests"/> to the value chat's row in gpt-4o's feature pack of <paramref name="hour"/>.</summary>
    private Task ShiftPackAsync(object hour, long requests) =>
        PackedLines.ShiftAsync(_db, "llm_model_tag_packs", "model = 'gpt-4o' AND tag_key = 'feature' AND hour = @at", Utc(hour), "chat", requests);

    [Theory]
    [InlineData(30 * 24 * 60, 0)]
    [InlineData(29 * 24 * 60 + 50, 24 * 60 + 3)]
    public async Task Windows_that_most_of_the_30_days_hold_with_a_model_read_the_totals_per_model(int startMinutes, int endMinutes)
    {
        var (start, end) = (_now.AddMinutes(-startMinutes), _now.AddMinutes(-endMinutes));
        const string Shift = "UPDATE llm_model_tag_recent_totals SET request_count = request_count + @n WHERE span_hours = 720 AND model = 'gpt-4o' AND tag_key = 'feature' AND tag_value = 'chat'";
        var before = await RequestsAsync("gpt-4o", "feature", "chat", start, end);
        await ExecuteAsync(Shift, ("n", 1000));
        Assert.Equal(before + 1000, await RequestsAsync("gpt-4o", "feature", "chat", start, end));
        await ExecuteAsync(Shift, ("n", -1000));
        Assert.Equal(before, await RequestsAsync("gpt-4o", "feature", "chat", start, end));
    }

    [Fact]
    public async Task Late_calls_and_new_prices_are_read_raw_until_the_job_rebuilds_their_hours()
    {
        var late = new[] { _now.AddHours(-5), _now.AddDays(-3), _now.AddDays(-20) };
        await _writer.WriteAsync([.. late.Select((at, i) => Row(at, "gpt-4o", "u-late", "chat", error: i == 1))]);
        // As re-pricing does: the calls' costs and the hourly rollup's, in one transaction.
        var repriced = (await RowsAsync("""
            SELECT date_trunc('hour', max(timestamp), 'UTC') FROM llm_events WHERE model = 'claude-3-5-haiku' AND timestamp < @e
            """, _now, _now.AddDays(-2)))[0][0]!;
        await ExecuteAsync("""
            UPDATE llm_events SET cost_usd = cost_usd * 2 WHERE model = 'claude-3-5-haiku' AND timestamp >= @h AND timestamp < @h + interval '1 hour';
            UPDATE llm_rollup_hourly SET cost_usd = cost_usd * 2 WHERE model = 'claude-3-5-haiku' AND hour = @h;
            """, ("h", repriced));
        Assert.Equal(4, await StaleHoursAsync());

        await AssertBreakdownsEqualSqlAsync(_now.AddDays(-30), _now);
        await AssertBreakdownsEqualSqlAsync(_now.AddDays(-7), _now);
        await AssertBreakdownsEqualSqlAsync(_now.AddDays(-21).AddMinutes(13), _now.AddHours(-4).AddMinutes(-9));
        // A window no span serves, with the late call of 3 days ago in it: the hourly sums per model less its hour.
        await AssertBreakdownsEqualSqlAsync(_now.AddDays(-9).AddMinutes(-7), _now.AddDays(-1));

        await new ModelTagRollups(_db).RefreshAsync(_now, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal(0, await StaleHoursAsync());
        await AssertBreakdownsEqualSqlAsync(_now.AddDays(-30), _now);
        await AssertBreakdownsEqualSqlAsync(_now.AddDays(-9).AddMinutes(-7), _now.AddDays(-1));
        await AssertTotalsEqualBuiltRowsAsync();
    }

    [Fact]
    public async Task More_stale_hours_than_a_ranking_reads_raw_send_it_to_the_raw_calls()
    {
        var hours = Enumerable.Range(1, TagValueSource.MaxStaleHours + 1).Select(h => _now.AddHours(-2 * h));
        await _writer.WriteAsync([.. hours.Select(at => Row(at, "gpt-4o", "u-late", "chat", error: false))]);
        const string Shift = "UPDATE llm_model_tag_recent_totals SET request_count = request_count + 1000 WHERE span_hours = 720 AND model = 'gpt-4o' AND tag_key = 'feature' AND tag_value = 'chat'";
        await ExecuteAsync(Shift);

        // The totals are not read: their shifted figure does not show.
        await AssertBreakdownsEqualSqlAsync(_now.AddDays(-30), _now);
    }

    [Fact]
    public async Task As_hours_pass_the_spans_move_and_hold_the_sums_of_their_built_hours()
    {
        var rollups = new ModelTagRollups(_db);
        foreach (var later in new[] { 1, 3, 50, 800 })
        {
            if (later < 800)
            {
                await _writer.WriteAsync([Row(_now.AddHours(later - 1).AddMinutes(10), "gpt-4o", "u-ahead", "chat", error: false)]);
            }

            await rollups.RefreshAsync(_now.AddHours(later), TimeSpan.FromMinutes(1), CancellationToken.None);
            var spans = await RowsAsync("SELECT span_hours, since, until FROM llm_model_tag_recent_since ORDER BY 1", _now, _now);
            Assert.Equal(ModelTagRollups.SpanHours, spans.Select(s => (int)s[0]!));
            Assert.All(spans, s => Assert.Equal((Utc(s[1]), Utc(s[2])), RecentTotals.HoursFor(_now.AddHours(later), (int)s[0]!)));
            await AssertTotalsEqualBuiltRowsAsync();
        }

        // 800 hours on, the calls are older than every span: nothing of them is kept.
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM llm_rollup_hourly_model_tags"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM llm_model_tag_recent_totals"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM llm_model_tag_packs"));
    }

    [Fact]
    public async Task The_calls_count_of_a_dense_value_and_a_model_reads_the_tag_sums_per_model()
    {
        // Over TaggedCalls.MaxCounted calls, so that the count is not read through the value's hours.
        var dense = Enumerable.Range(0, (int)TaggedCalls.MaxCounted + 500).Select(i => _now.AddMinutes(-2 * i - 0.5))
            .Select((at, i) => Row(at, Models[i % 3], $"u-d-{i % 50}", "dense", error: i % 13 == 0));
        foreach (var batch in dense.Chunk(5000))
        {
            await _writer.WriteAsync(batch);
        }

        await new ModelTagRollups(_db).RefreshAsync(_now, TimeSpan.FromMinutes(1), CancellationToken.None);
        var queries = new ConversationQueries(_db, new ReadRetry(_db, Microsoft.Extensions.Logging.Abstractions.NullLogger<ReadRetry>.Instance), TimeProvider.System);
        var windows = new (DateTimeOffset? Start, DateTimeOffset? End)[]
        {
            (null, null), (_now.AddDays(-7).AddMinutes(13), _now.AddHours(-1).AddMinutes(7)), (_now.AddDays(-30), _now), (_now.AddDays(-2), null),
        };

        async Task AssertCountsEqualSqlAsync()
        {
            foreach (var model in Models)
            {
                foreach (var (start, end) in windows)
                {
                    var filter = new ConversationFilter(Model: model, TagKey: "feature", TagValue: "dense", Start: start, End: end);
                    Assert.Equal(await ScalarAsync($"SELECT count(*) FROM llm_events WHERE {ConversationSql.Where(filter)}", filter),
                        (await queries.ListAsync(filter, 1, 1, CancellationToken.None)).Total);
                }
            }
        }

        await AssertCountsEqualSqlAsync();

        // The built rows are what is counted: one shifted shows. (Without bounds the window starts on the seed's first
        // day, 31 days back, whose hours before the longest span are not built: more than 8 of them, so read raw.)
        var hour = TimeWindow.FloorHour(_now.AddDays(-3));
        var month = new ConversationFilter(Model: "gpt-4o", TagKey: "feature", TagValue: "dense", Start: _now.AddDays(-30), End: _now);
        const string Shift = "UPDATE llm_rollup_hourly_model_tags SET request_count = request_count + @n WHERE model = 'gpt-4o' AND tag_key = 'feature' AND tag_value = 'dense' AND hour = @h";
        var before = (await queries.ListAsync(month, 1, 1, CancellationToken.None)).Total;
        await ExecuteAsync(Shift, ("n", 1000), ("h", hour));
        Assert.Equal(before + 1000, (await queries.ListAsync(month, 1, 1, CancellationToken.None)).Total);
        await ExecuteAsync(Shift, ("n", -1000), ("h", hour));

        // Late calls: their hours are counted raw until rebuilt.
        await _writer.WriteAsync([Row(_now.AddDays(-5), "gpt-4o", "u-late", "dense", error: false), Row(_now.AddHours(-30), "o3", "u-late", "dense", error: false)]);
        await AssertCountsEqualSqlAsync();
        await new ModelTagRollups(_db).RefreshAsync(_now, TimeSpan.FromMinutes(1), CancellationToken.None);
        await AssertCountsEqualSqlAsync();
    }

    private static DateTimeOffset Utc(object? value) => new((DateTime)value!);

    private async Task AssertBreakdownsEqualSqlAsync(DateTimeOffset start, DateTimeOffset end)
    {
        foreach (var model in Models)
        {
            foreach (var key in new[] { "user_id", "feature" })
            {
                var truth = (await RowsAsync("""
                    SELECT * FROM (
                        SELECT tags ->> @k AS v, count(*) AS n, count(*) FILTER (WHERE status = 'error'), sum(total_tokens),
                               coalesce(sum(cost_usd), 0) AS cost, count(*) - count(cost_usd)
                        FROM llm_events WHERE timestamp >= @s AND timestamp < @e AND model = @m AND tags ? @k GROUP BY 1) t
                    ORDER BY cost DESC, n DESC, v COLLATE "C"
                    """, start, end, ("k", key), ("m", model))).Select(r => string.Join("|", r[0], r[1], r[2], r[3], Num(r[4]), r[5])).ToList();
                Assert.NotEmpty(truth);

                foreach (var limit in new[] { 500, 3 })
                {
                    var api = await _http.GetJsonAsync($"api/metrics/tags?key={key}&model={model}&limit={limit}&start_time={Iso(start)}&end_time={Iso(end)}");

                    Assert.Equal(truth.Take(limit), api["values"]!.AsArray().Select(v => string.Join("|", v!["value"]!.GetValue<string>(), v["requests"],
                        v["errors"], v["tokens"], Num(Dec(v["cost"])), v["unpriced_requests"])));
                    Assert.Equal(truth.Count, api["distinct_values"]!.GetValue<long>());
                    Assert.Equal(truth.Sum(t => long.Parse(t.Split('|')[1], System.Globalization.CultureInfo.InvariantCulture)), api["total_requests"]!.GetValue<long>());
                }
            }
        }
    }

    /// <summary>
    /// Every span's totals equal the sums of the built rows of its hours, each built hour its calls, and the packs of
    /// each model, key and hour their rows.
    /// </summary>
    private async Task AssertTotalsEqualBuiltRowsAsync()
    {
        await AssertPacksEqualBuiltRowsAsync();
        Assert.Equal(0, await ScalarAsync("""
            SELECT count(*) FROM llm_model_tag_recent_totals t
            FULL JOIN (
                SELECT s.span_hours, m.model, m.tag_key, m.tag_value, sum(m.request_count) AS request_count, sum(m.error_count) AS error_count,
                       sum(m.total_tokens) AS total_tokens, sum(m.cost_usd) AS cost_usd, sum(m.unpriced_count) AS unpriced_count
                FROM llm_rollup_hourly_model_tags m JOIN llm_model_tag_recent_since s ON m.hour >= s.since AND m.hour < s.until
                GROUP BY 1, 2, 3, 4
            ) b USING (span_hours, model, tag_key, tag_value)
            WHERE (t.request_count, t.error_count, t.total_tokens, t.cost_usd, t.unpriced_count)
                  IS DISTINCT FROM (b.request_count, b.error_count, b.total_tokens, b.cost_usd, b.unpriced_count)
            """));
        Assert.Equal(0, await ScalarAsync("""
            SELECT count(*) FROM llm_rollup_hourly_model_tags m
            FULL JOIN (
                SELECT e.model, t.key AS tag_key, date_trunc('hour', e.timestamp, 'UTC') AS hour, t.value AS tag_value, count(*) AS request_count,
                       count(*) FILTER (WHERE e.status = 'error') AS error_count, sum(e.total_tokens) AS total_tokens,
                       coalesce(sum(e.cost_usd), 0) AS cost_usd, count(*) - count(e.cost_usd) AS unpriced_count, max(e.timestamp) AS last_seen
                FROM llm_events e CROSS JOIN LATERAL jsonb_each_text(e.tags) t
                WHERE e.timestamp >= (SELECT date_trunc('day', min(since), 'UTC') FROM llm_model_tag_recent_since) AND e.timestamp < (SELECT max(until) FROM llm_model_tag_recent_since)
                GROUP BY 1, 2, 3, 4
            ) r USING (model, tag_key, hour, tag_value)
            WHERE (m.request_count, m.error_count, m.total_tokens, m.cost_usd, m.unpriced_count, m.last_seen)
                  IS DISTINCT FROM (r.request_count, r.error_count, r.total_tokens, r.cost_usd, r.unpriced_count, r.last_seen)
            """));
    }

    private async Task AssertPacksEqualBuiltRowsAsync()
    {
        static string At(NpgsqlDataReader r) => $"{r.GetString(0)}|{r.GetString(1)}|{r.GetFieldValue<DateTimeOffset>(2).UtcTicks}";

        var packed = await PackedLines.ReadAsync(_db, "SELECT model, tag_key, hour, data FROM llm_model_tag_packs",
            r => TagSumPack.ReadAll(r.GetFieldValue<byte[]>(3)).Select(p => PackedLines.Line(At(r), p)));
        var rows = await PackedLines.ReadAsync(_db, """
            SELECT model, tag_key, hour, tag_value, request_count, error_count, total_tokens, cost_usd, unpriced_count, last_seen
            FROM llm_rollup_hourly_model_tags
            """, r => [PackedLines.Line(At(r), new(r.GetString(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetDecimal(7), r.GetInt64(8),
                r.GetFieldValue<DateTimeOffset>(9)))]);
        Assert.Equal(rows, packed);
    }

    private Task<long> StaleHoursAsync() => ScalarAsync($"""
        SELECT count(*) FROM ({ModelTagRollups.HourFigures} WHERE hour >= @s AND hour < @u GROUP BY hour, model) r
        FULL JOIN (SELECT * FROM llm_model_tag_hours WHERE hour >= @s AND hour < @u) b USING (hour, model)
        WHERE (r.request_count, r.cost_usd, r.unpriced_count) IS DISTINCT FROM (b.request_count, b.cost_usd, b.unpriced_count)
        """, ("s", TimeWindow.FloorHour(_now).AddHours(-720)), ("u", TimeWindow.FloorHour(_now)));

    private async Task<long> RequestsAsync(string model, string key, string value, DateTimeOffset start, DateTimeOffset? end = null)
    {
        var api = await _http.GetJsonAsync($"api/metrics/tags?key={key}&model={model}&start_time={Iso(start)}&end_time={Iso(end ?? _now)}");
        return api["values"]!.AsArray().Single(v => v!["value"]!.GetValue<string>() == value)!["requests"]!.GetValue<long>();
    }

    private static EventRow Row(DateTimeOffset at, string model, string user, string feature, bool error)
    {
        var cost = PriceBook.BuiltIn.Cost(model, at, 700, 300, 0, 0);
        return new EventRow(new LlmEvent(Guid.CreateVersion7(at), at, model, ProviderInference.Infer(model), 700, 300, 1000, 0, 0, 0, 900,
            cost, CostSource.Catalogue, null, null, null, null, user, error ? EventStatus.Error : EventStatus.Success, error ? "boom" : null,
            new Dictionary<string, string> { ["user_id"] = user, ["feature"] = feature }, null, null), false);
    }

    private Task<List<object?[]>> RowsAsync(string sql, DateTimeOffset start, DateTimeOffset end, params (string Name, object Value)[] more) =>
        _database.RowsAsync(sql, [("s", start), ("e", end), .. more]);

    private async Task<long> ScalarAsync(string sql, ConversationFilter filter)
    {
        await using var cmd = _db.CreateCommand(sql);
        cmd.Parameters.AddFilter(filter);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters) => _database.ScalarAsync(sql, parameters);

    private Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters) => _database.ExecuteAsync(sql, parameters);

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_webUi is not null)
        {
            await _webUi.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
