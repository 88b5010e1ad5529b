using System.Net;
using System.Text.Json.Nodes;
using LlmMonitor.Storage.Reads;
using LlmMonitor.WebUi.Tests.Infrastructure;
using static LlmMonitor.WebUi.Tests.Infrastructure.Json;

namespace LlmMonitor.WebUi.Tests;

/// <summary>Every number the read API returns equals plain SQL over llm_events on the seeded set.</summary>
[Collection(WebUiCollection.Name)]
public sealed class ApiNumbersTests(WebUiFixture ui)
{
    private readonly HttpClient _http = ui.Open.Client();

    private DateTimeOffset Now => ui.SeededAt;

    /// <summary>Windows that are hour-aligned, ragged, inside one hour, across days, and empty.</summary>
    public static TheoryData<int, int, string?> Windows => new()
    {
        { 24 * 60, 0, null },             // the last day up to now
        { 3 * 24 * 60 + 17, 7, null },    // ragged, across three day boundaries
        { 3 * 24 * 60 + 17, 7, "gpt-4o" },
        { 50, 10, "mystery-model" },      // inside an hour or two: raw events only
        { 5 * 24 * 60, 0, "claude-sonnet-4" },
        { 30, 20, "no-such-model" },
    };

    private (DateTimeOffset Start, DateTimeOffset End) Window(int minutesBack, int endMinutesBack) =>
        (Now.AddMinutes(-minutesBack).AddSeconds(-13.25), Now.AddMinutes(-endMinutesBack).AddSeconds(0.5));

    /// <summary>
    /// Windows placed on the seed's past hours (start hours back, start minute, end hours back, end minute) so that
    /// each edge is read from the side of its hour with less time: its own raw rows, or the hour's rollup minus the rest.
    /// </summary>
    public static TheoryData<int, int, int, int> PlannedWindows => new()
    {
        { 30, 5, 3, 55 },   // both edges as their hours less the rest
        { 30, 55, 3, 5 },   // both edges as their own rows
        { 7, 10, 6, 50 },   // two ragged hours, no whole hour between, both taken whole less the rest
        { 6, 2, 6, 58 },    // inside one hour: the hour less both ends
        { 6, 20, 6, 30 },   // inside one hour: its own rows
        { 75, 40, 0, 0 },   // ends on the current hour's start
    };

    private (DateTimeOffset Start, DateTimeOffset End) PlannedWindow(int startHoursBack, int startMinute, int endHoursBack, int endMinute)
    {
        var hour = TimeWindow.FloorHour(Now);
        return (hour.AddHours(-startHoursBack).AddMinutes(startMinute).AddSeconds(0.25), hour.AddHours(-endHoursBack).AddMinutes(endMinute));
    }

    [Theory]
    [MemberData(nameof(PlannedWindows))]
    public async Task Overview_equals_sql_whichever_side_of_each_edge_is_read(int startHoursBack, int startMinute, int endHoursBack, int endMinute)
    {
        var (start, end) = PlannedWindow(startHoursBack, startMinute, endHoursBack, endMinute);
        await AssertOverviewEqualsSqlAsync(start, end, null);
        await AssertOverviewEqualsSqlAsync(start, end, "claude-sonnet-4");
    }

    [Theory]
    [MemberData(nameof(PlannedWindows))]
    public async Task Conversation_totals_equal_sql_whichever_side_of_each_edge_is_read(int startHoursBack, int startMinute, int endHoursBack, int endMinute)
    {
        var (start, end) = PlannedWindow(startHoursBack, startMinute, endHoursBack, endMinute);
        foreach (var (query, where) in new[] { ("", "true"), ("&model=gpt-4o&status=success", "model = 'gpt-4o' AND status = 'success'"), ("&tag=feature:chat", "tags @> '{\"feature\": \"chat\"}'") })
        {
            var total = await ui.ScalarAsync<long>($"SELECT count(*) FROM llm_events WHERE {where} AND timestamp >= @s AND timestamp < @e", ("s", start), ("e", end));
            var api = await _http.GetJsonAsync($"api/conversations?start_time={Iso(start)}&end_time={Iso(end)}{query}");
            Assert.Equal(total, api["total"]!.GetValue<long>());
        }
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public async Task Overview_equals_sql_over_llm_events(int minutesBack, int endMinutesBack, string? model)
    {
        var (start, end) = Window(minutesBack, endMinutesBack);
        await AssertOverviewEqualsSqlAsync(start, end, model);
    }

    private async Task AssertOverviewEqualsSqlAsync(DateTimeOffset start, DateTimeOffset end, string? model)
    {
        var api = await _http.GetJsonAsync($"api/metrics/overview?start_time={Iso(start)}&end_time={Iso(end)}" + (model is null ? "" : $"&model={model}"));

        var truth = (await ui.RowsAsync("""
            SELECT count(*), coalesce(sum(cost_usd), 0), coalesce(avg(latency_ms), 0), count(*) FILTER (WHERE status = 'error'),
                   coalesce(sum(total_tokens), 0), percentile_disc(0.5) WITHIN GROUP (ORDER BY latency_ms),
                   percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms), percentile_disc(0.99) WITHIN GROUP (ORDER BY latency_ms),
                   count(*) - count(cost_usd)
            FROM llm_events WHERE timestamp >= @s AND timestamp < @e AND (@m::text IS NULL OR model = @m)
            """, ("s", start), ("e", end), ("m", (object?)model ?? DBNull.Value)))[0];
        var total = Convert.ToInt64(truth[0]);
        Assert.Equal(total, api["total_requests"]!.GetValue<long>());
        Assert.Equal((decimal)truth[1]!, Dec(api["total_cost"]));
        Assert.Equal(Convert.ToDouble(truth[2]), api["avg_latency_ms"]!.GetValue<double>(), 1e-6);
        Assert.Equal(total == 0 ? 0 : 100.0 * Convert.ToInt64(truth[3]) / total, api["error_rate"]!.GetValue<double>(), 1e-9);
        Assert.Equal(Convert.ToInt64(truth[4]), api["total_tokens"]!.GetValue<long>());
        Assert.Equal(Convert.ToInt64(truth[8]), api["unpriced_requests"]!.GetValue<long>());
        AssertWithin5Percent(truth[5], api["p50_latency_ms"]);
        AssertWithin5Percent(truth[6], api["p95_latency_ms"]);
        AssertWithin5Percent(truth[7], api["p99_latency_ms"]);

        var byModel = await ui.RowsAsync("""
            SELECT model, count(*), coalesce(sum(cost_usd), 0) FROM llm_events
            WHERE timestamp >= @s AND timestamp < @e AND (@m::text IS NULL OR model = @m) GROUP BY model
            """, ("s", start), ("e", end), ("m", (object?)model ?? DBNull.Value));
        var requests = api["requests_by_model"]!.AsObject();
        var costs = api["cost_by_model"]!.AsObject();
        Assert.Equal(byModel.Count, requests.Count);
        foreach (var row in byModel)
        {
            Assert.Equal(Convert.ToInt64(row[1]), requests[(string)row[0]!]!.GetValue<long>());
            Assert.Equal((decimal)row[2]!, Dec(costs[(string)row[0]!]));
        }
    }

    [Fact]
    public async Task Overview_by_hours_covers_the_last_hours_up_to_now()
    {
        var api = await _http.GetJsonAsync("api/metrics/overview?hours=24");
        var (start, end) = (Time(api["start_time"]), Time(api["end_time"]));
        Assert.Equal(TimeSpan.FromHours(24), end - start);
        Assert.Equal(await ui.ScalarAsync<long>("SELECT count(*) FROM llm_events WHERE timestamp >= @s AND timestamp < @e", ("s", start), ("e", end)),
            api["total_requests"]!.GetValue<long>());
        Assert.Contains("mystery-model", api["unpriced_models"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Theory]
    [InlineData("1h", "requests")]
    [InlineData("1h", "cost")]
    [InlineData("1h", "errors")]
    [InlineData("1h", "tokens")]
    [InlineData("1h", "latency")]
    [InlineData("1d", "requests")]
    [InlineData("1d", "cost")]
    [InlineData("1d", "latency")]
    public async Task Timeseries_equals_sql_per_utc_bucket_with_empty_buckets_as_zero(string interval, string metric)
    {
        var (start, end) = Window(5 * 24 * 60 + 3, 0);
        var api = await _http.GetJsonAsync($"api/metrics/timeseries?start_time={Iso(start)}&end_time={Iso(end)}&interval={interval}&metric={metric}&model=gpt-4o-mini");
        var unit = interval == "1d" ? "day" : "hour";
        var expression = metric switch
        {
            "requests" => "count(*)::float8",
            "cost" => "coalesce(sum(cost_usd), 0)::float8",
            "errors" => "(count(*) FILTER (WHERE status = 'error'))::float8",
            "tokens" => "sum(total_tokens)::float8",
            _ => "coalesce(avg(latency_ms), 0)",
        };
        var truth = (await ui.RowsAsync($"""
            SELECT date_trunc('{unit}', timestamp, 'UTC'), {expression} FROM llm_events
            WHERE timestamp >= date_trunc('{unit}', @s::timestamptz, 'UTC') AND timestamp < @e AND model = 'gpt-4o-mini' GROUP BY 1
            """, ("s", start), ("e", end))).ToDictionary(r => new DateTimeOffset((DateTime)r[0]!), r => Convert.ToDouble(r[1]));

        var points = api["points"]!.AsArray();
        var step = interval == "1d" ? TimeSpan.FromDays(1) : TimeSpan.FromHours(1);
        Assert.Equal(interval, api["interval"]!.GetValue<string>());
        Assert.Equal(metric, api["metric"]!.GetValue<string>());
        Assert.True(points.Count >= (interval == "1d" ? 6 : 5 * 24 + 1));
        for (var i = 0; i < points.Count; i++)
        {
            var at = Time(points[i]!["timestamp"]);
            Assert.Equal(TimeSpan.Zero, at.Offset);
            if (i > 0)
            {
                Assert.Equal(step, at - Time(points[i - 1]!["timestamp"]));
            }

            Assert.Equal(truth.GetValueOrDefault(at), points[i]!["value"]!.GetValue<double>(), 1e-6);
        }

        Assert.True(points.Any(p => p!["value"]!.GetValue<double>() == 0) || interval == "1d", "an hourly series over sparse data has empty buckets");
    }

    [Theory]
    [InlineData("1h", "latency_p95")]
    [InlineData("1d", "latency_p50")]
    public async Task Timeseries_percentiles_are_within_5_percent_of_exact(string interval, string metric)
    {
        var (start, end) = Window(4 * 24 * 60, 0);
        var api = await _http.GetJsonAsync($"api/metrics/timeseries?start_time={Iso(start)}&end_time={Iso(end)}&interval={interval}&metric={metric}");
        var unit = interval == "1d" ? "day" : "hour";
        var fraction = metric == "latency_p95" ? "0.95" : "0.5";
        var truth = (await ui.RowsAsync($"""
            SELECT date_trunc('{unit}', timestamp, 'UTC'), percentile_disc({fraction}) WITHIN GROUP (ORDER BY latency_ms) FROM llm_events
            WHERE timestamp >= date_trunc('{unit}', @s::timestamptz, 'UTC') AND latency_ms IS NOT NULL GROUP BY 1
            """, ("s", start))).ToDictionary(r => new DateTimeOffset((DateTime)r[0]!), r => r[1]);
        foreach (var point in api["points"]!.AsArray())
        {
            if (truth.TryGetValue(Time(point!["timestamp"]), out var exact))
            {
                AssertWithin5Percent(exact, point["value"]);
            }
            else
            {
                Assert.Equal(0, point["value"]!.GetValue<double>());
            }
        }
    }

    [Theory]
    [InlineData("user_id", 4 * 24 * 60 + 31, 0, null)]
    [InlineData("feature", 26 * 60 + 5, 45, null)]
    [InlineData("team", 4 * 24 * 60 + 31, 0, null)]
    [InlineData("user_id", 4 * 24 * 60 + 31, 0, "gpt-4o")]
    [InlineData("feature", 26 * 60 + 5, 45, "claude-sonnet-4")]
    public async Task Tag_breakdown_equals_sql(string key, int minutesBack, int endMinutesBack, string? model)
    {
        var (start, end) = Window(minutesBack, endMinutesBack);
        var filter = model is null ? "" : $"&model={model}";
        var api = await _http.GetJsonAsync($"api/metrics/tags?key={key}&start_time={Iso(start)}&end_time={Iso(end)}&limit=500{filter}");
        var truth = await ui.RowsAsync("""
            SELECT tags ->> @k, count(*), count(*) FILTER (WHERE status = 'error'), sum(total_tokens), coalesce(sum(cost_usd), 0)
            FROM llm_events WHERE timestamp >= @s AND timestamp < @e AND tags ? @k AND (@m::text IS NULL OR model = @m) GROUP BY 1
            """, ("k", key), ("s", start), ("e", end), ("m", (object?)model ?? DBNull.Value));
        Assert.NotEmpty(truth);
        var values = api["values"]!.AsArray().ToDictionary(v => v!["value"]!.GetValue<string>());
        Assert.Equal(truth.Count, values.Count);
        Assert.Equal(truth.Count, api["distinct_values"]!.GetValue<long>());
        Assert.Equal(truth.Sum(r => Convert.ToInt64(r[1])), api["total_requests"]!.GetValue<long>());
        foreach (var row in truth)
        {
            var v = values[(string)row[0]!]!;
            Assert.Equal(Convert.ToInt64(row[1]), v["requests"]!.GetValue<long>());
            Assert.Equal(Convert.ToInt64(row[2]), v["errors"]!.GetValue<long>());
            Assert.Equal(Convert.ToInt64(row[3]), v["tokens"]!.GetValue<long>());
            Assert.Equal((decimal)row[4]!, Dec(v["cost"]));
        }

        var costs = api["values"]!.AsArray().Select(v => Dec(v!["cost"])).ToList();
        Assert.Equal(costs.OrderDescending(), costs);
    }

    public static TheoryData<string, string> ConversationFilters => new()
    {
        { "", "true" },
        { "model=gpt-4o", "model = 'gpt-4o'" },
        { "status=error", "status = 'error'" },
        { "model=claude-3-5-haiku&status=success", "model = 'claude-3-5-haiku' AND status = 'success'" },
        { "tag=user_id:u-bob", "tags @> '{\"user_id\": \"u-bob\"}'" },
        { "tag=feature:chat&model=gpt-4o", "tags @> '{\"feature\": \"chat\"}' AND model = 'gpt-4o'" },
        { "search=TIMEOUT", "(model ILIKE '%timeout%' OR error_message ILIKE '%timeout%')" },
        { "search=mini", "(model ILIKE '%mini%' OR error_message ILIKE '%mini%')" },
    };

    [Theory]
    [MemberData(nameof(ConversationFilters))]
    public async Task Conversations_total_and_order_equal_sql(string query, string where)
    {
        foreach (var window in new[] { "", $"&start_time={Iso(Now.AddHours(-49.3))}&end_time={Iso(Now.AddMinutes(-20))}" })
        {
            var timeWhere = window == "" ? "" : " AND timestamp >= @s AND timestamp < @e";
            var parameters = new[] { ("s", (object)Now.AddHours(-49.3)), ("e", (object)Now.AddMinutes(-20)) };
            var total = await ui.ScalarAsync<long>($"SELECT count(*) FROM llm_events WHERE {where}{timeWhere}", parameters);
            var ids = (await ui.RowsAsync($"SELECT event_id FROM llm_events WHERE {where}{timeWhere} ORDER BY timestamp DESC, event_id DESC LIMIT 40 OFFSET 40", parameters))
                .Select(r => r[0]!.ToString()!).ToList();
            var api = await _http.GetJsonAsync($"api/conversations?page=2&page_size=40&{query}{window}");
            Assert.Equal(total, api["total"]!.GetValue<long>());
            Assert.Equal(2, api["page"]!.GetValue<int>());
            Assert.Equal(40, api["page_size"]!.GetValue<int>());
            Assert.Equal(ids, api["items"]!.AsArray().Select(i => i!["event_id"]!.GetValue<string>()).ToList());
            Assert.All(api["items"]!.AsArray(), i => Assert.Null(i!["input"]));
        }
    }

    [Fact]
    public async Task A_call_comes_with_its_input_output_and_error()
    {
        var row = (await ui.RowsAsync("SELECT event_id, input, output, error_message, tags::text FROM llm_events WHERE status = 'error' LIMIT 1"))[0];
        var api = await _http.GetJsonAsync($"api/conversations/{row[0]}");
        Assert.Equal((string)row[1]!, api["input"]!.GetValue<string>());
        Assert.Null(api["output"]);
        Assert.Equal((string)row[3]!, api["error_message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"api/conversations/{Guid.NewGuid()}")).StatusCode);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    public async Task Export_streams_every_call_of_the_filter(string format)
    {
        var expected = await ui.ScalarAsync<long>("SELECT count(*) FROM llm_events WHERE model = 'gpt-4o'");
        using var response = await _http.GetAsync($"api/export?format={format}&model=gpt-4o", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentLength); // streamed (chunked), not buffered
        var text = await response.Content.ReadAsStringAsync();
        if (format == "json")
        {
            var items = JsonNode.Parse(text)!.AsArray();
            Assert.Equal(expected, items.Count);
            Assert.All(items, i => Assert.Equal("gpt-4o", i!["model"]!.GetValue<string>()));
            Assert.NotNull(items[0]!["input"]);
        }
        else
        {
            var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("event_id,timestamp,model", lines[0]);
            Assert.Equal(expected, lines.Length - 1);
        }
    }

    [Fact]
    public async Task Pricing_lists_every_model_with_its_periods()
    {
        var api = (await _http.GetJsonAsync("api/pricing")).AsArray();
        var gpt4o = api.Single(m => m!["model"]!.GetValue<string>() == "gpt-4o")!;
        Assert.Equal(2.50m, Dec(gpt4o["current"]!["input_usd_per_million"]));
        Assert.Null(gpt4o["current"]!["cache_write_usd_per_million"]);
        Assert.NotEmpty(gpt4o["periods"]!.AsArray());
        var sonnet = api.Single(m => m!["model"]!.GetValue<string>() == "claude-sonnet-4")!;
        Assert.Equal(3.75m, Dec(sonnet["current"]!["cache_write_usd_per_million"]));
        Assert.Equal(3.75m, Dec(sonnet["periods"]![0]!["cache_write_usd_per_million"]));
    }

    [Fact]
    public async Task A_call_comes_with_its_cache_writes_reasoning_and_trace_session_and_user()
    {
        const string Fields = "cache_write_tokens, reasoning_tokens, trace_id, span_id, parent_span_id, session_id, user_id";
        foreach (var where in new[] { "cache_write_tokens > 0 AND parent_span_id IS NOT NULL AND session_id IS NOT NULL", "reasoning_tokens > 0" })
        {
            var row = (await ui.RowsAsync($"SELECT event_id, {Fields} FROM llm_events WHERE {where} AND user_id IS NOT NULL LIMIT 1"))[0];
            var api = await _http.GetJsonAsync($"api/conversations/{row[0]}");

            Assert.Equal(((int)row[1]!, (int)row[2]!), (api["cache_write_tokens"]!.GetValue<int>(), api["reasoning_tokens"]!.GetValue<int>()));
            Assert.Equal(row[3..].Select(v => v as string), new[] { "trace_id", "span_id", "parent_span_id", "session_id", "user_id" }
                .Select(f => api[f]?.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Recent_calls_carry_their_trace_session_and_user()
    {
        var truth = (await ui.RowsAsync("SELECT event_id, trace_id, session_id, user_id FROM llm_events ORDER BY timestamp DESC, event_id DESC LIMIT 50"))
            .Select(r => string.Join("|", r.Select(v => v as string ?? v?.ToString() ?? "")));
        var api = (await _http.GetJsonAsync("api/conversations?page_size=50"))["items"]!.AsArray()
            .Select(i => string.Join("|", new[] { "event_id", "trace_id", "session_id", "user_id" }.Select(f => i![f]?.GetValue<string>() ?? "")));

        Assert.Equal(truth, api);
        Assert.Contains(api, i => !i.EndsWith("||", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    public async Task Export_carries_cache_writes_reasoning_and_trace_session_and_user(string format)
    {
        string[] fields = ["cache_write_tokens", "reasoning_tokens", "trace_id", "span_id", "parent_span_id", "session_id", "user_id"];
        var truth = (await ui.RowsAsync($"SELECT event_id, {string.Join(", ", fields)} FROM llm_events WHERE model = 'claude-sonnet-4'"))
            .ToDictionary(r => r[0]!.ToString()!, r => string.Join("|", r.Skip(1).Select(v => v?.ToString() ?? "")));

        var text = await _http.GetStringAsync($"api/export?format={format}&model=claude-sonnet-4");

        var exported = format == "json"
            ? JsonNode.Parse(text)!.AsArray().ToDictionary(i => i!["event_id"]!.GetValue<string>(),
                i => string.Join("|", fields.Select(f => i![f]?.ToString() ?? "")))
            : CsvRows(text).ToDictionary(r => r["event_id"], r => string.Join("|", fields.Select(f => r[f])));
        Assert.Equal(truth, exported);
        Assert.Contains(truth.Values, v => !v.StartsWith("0|", StringComparison.Ordinal));
    }

    /// <summary>CSV rows by header name.</summary>
    private static IEnumerable<Dictionary<string, string>> CsvRows(string text)
    {
        var rows = Csv.Parse(text);
        return rows.Skip(1).Select(r => rows[0].Zip(r).ToDictionary(c => c.First, c => c.Second));
    }

    [Theory]
    [InlineData("api/conversations?page_size=501")]
    [InlineData("api/conversations?status=maybe")]
    [InlineData("api/conversations?tag=nocolon")]
    [InlineData("api/metrics/timeseries?interval=5m")]
    [InlineData("api/metrics/timeseries?metric=vibes")]
    [InlineData("api/metrics/overview?hours=0")]
    [InlineData("api/export?format=xml")]
    public async Task Bad_parameters_get_a_problem_400(string url)
    {
        var response = await _http.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static void AssertWithin5Percent(object? exact, JsonNode? fromApi)
    {
        if (exact is null)
        {
            Assert.Equal(0, fromApi!.GetValue<double>());
            return;
        }

        var e = Convert.ToDouble(exact);
        var a = fromApi!.GetValue<double>();
        Assert.True(Math.Abs(a - e) <= 0.05 * e, $"percentile {a} is not within 5% of the exact {e}");
    }
}
