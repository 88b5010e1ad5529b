using System.Net;
using System.Text.Json.Nodes;
using LlmMonitor.WebUi.Tests.Infrastructure;
using static LlmMonitor.WebUi.Tests.Infrastructure.Json;

namespace LlmMonitor.WebUi.Tests;

/// <summary>Sessions, traces and users: every number and every order equals plain SQL over llm_events on the seeded set.</summary>
[Collection(WebUiCollection.Name)]
public sealed class CallGroupsApiTests(WebUiFixture ui)
{
    private readonly HttpClient _http = ui.Open.Client();

    private const string LatestUser = "(array_agg(user_id ORDER BY timestamp DESC, event_id DESC) FILTER (WHERE user_id IS NOT NULL))[1]";

    /// <summary>Windows (minutes before the seed's time) and filters: the last day, a ragged three days, a model, a user.</summary>
    public static TheoryData<int, string?, string?> SessionQueries => new()
    {
        { 24 * 60, null, null },
        { 3 * 24 * 60 + 17, null, null },
        { 4 * 24 * 60, "claude-sonnet-4", null },
        { 2 * 24 * 60 + 31, "gpt-4o-mini", null },
        { 5 * 24 * 60, null, "u-bob" },
    };

    [Theory]
    [MemberData(nameof(SessionQueries))]
    public async Task Sessions_equal_sql_newest_activity_first(int minutes, string? model, string? user)
    {
        var end = ui.SeededAt.AddSeconds(1);
        var start = end.AddMinutes(-minutes).AddSeconds(-13.25);
        // A session is listed when its latest call is in the window, with the totals of all its calls; user: the session's
        // user (that of its latest call naming one); model: it has a call to the model.
        const string Sessions = $"""
            WITH s AS (
                SELECT session_id, {LatestUser} AS user_id, min(timestamp) AS first_seen, max(timestamp) AS last_seen, count(*) AS calls,
                       count(*) FILTER (WHERE status = 'error') AS errors, sum(total_tokens) AS tokens, coalesce(sum(cost_usd), 0) AS cost,
                       array_agg(DISTINCT model COLLATE "C" ORDER BY model COLLATE "C") AS models
                FROM llm_events WHERE session_id IS NOT NULL GROUP BY session_id)
            SELECT session_id, user_id, first_seen, last_seen, calls, errors, tokens, cost, array_to_string(models, ',')
            FROM s WHERE last_seen >= @s AND last_seen < @e AND (@m::text IS NULL OR @m = ANY(models)) AND (@u::text IS NULL OR user_id = @u)
            """;
        (string, object)[] parameters = [("s", start), ("e", end), ("m", (object?)model ?? DBNull.Value), ("u", (object?)user ?? DBNull.Value)];
        var truth = await ui.RowsAsync($"{Sessions} ORDER BY last_seen DESC, session_id LIMIT 4 OFFSET 4", parameters);
        var total = await ui.ScalarAsync<long>($"SELECT count(*) FROM ({Sessions}) listed", parameters);
        var filters = (model is null ? "" : $"&model={model}") + (user is null ? "" : $"&user_id={user}");

        var api = await _http.GetJsonAsync($"api/sessions?page=2&page_size=4&start_time={Iso(start)}&end_time={Iso(end)}{filters}");

        Assert.True(total > 4, $"only {total} sessions");
        Assert.Equal(total, api["total"]!.GetValue<long>());
        Assert.Equal((2, 4), (api["page"]!.GetValue<int>(), api["page_size"]!.GetValue<int>()));
        Assert.Equal(truth.Select(r => string.Join("|", r[0], r[1], DbMicros(r[2]), DbMicros(r[3]), r[4], r[5], r[6], Num(r[7]), r[8])),
            api["items"]!.AsArray().Select(i => string.Join("|", Text(i!["session_id"]), Text(i["user_id"]), Micros(Json.Time(i["first_seen"])),
                Micros(Json.Time(i["last_seen"])), i["calls"], i["errors"], i["total_tokens"], Num(Dec(i["cost_usd"])),
                string.Join(',', i["models"]!.AsArray().Select(m => m!.GetValue<string>())))));
    }

    /// <summary>Without a user, the sessions of the window's whole hours are counted from llm_session_hours (all, or of the model).</summary>
    [Theory]
    [InlineData(null, null, true)]
    [InlineData("gpt-4o", null, false)]
    [InlineData(null, "u-bob", false)]
    public async Task The_total_counts_whole_hours_from_the_sessions_per_hour(string? model, string? user, bool changes)
    {
        var end = ui.SeededAt.AddSeconds(1);
        var url = $"api/sessions?page_size=1&start_time={Iso(end.AddDays(-3).AddSeconds(-13.25))}&end_time={Iso(end)}"
            + (model is null ? "" : $"&model={model}") + (user is null ? "" : $"&user_id={user}");
        const string Shift = """
            UPDATE llm_session_hours SET sessions = sessions + @n
            WHERE model = '' AND hour = (SELECT max(hour) FROM llm_session_hours WHERE model = '' AND hour < date_trunc('hour', @e::timestamptz, 'UTC'))
            RETURNING 1
            """;
        var before = (await _http.GetJsonAsync(url))["total"]!.GetValue<long>();
        Assert.Equal(1, await ui.ScalarAsync<int>(Shift, ("n", 1000), ("e", end)));
        try
        {
            Assert.Equal(changes ? before + 1000 : before, (await _http.GetJsonAsync(url))["total"]!.GetValue<long>());
        }
        finally
        {
            await ui.ScalarAsync<int>(Shift, ("n", -1000), ("e", end));
        }
    }

    [Fact]
    public async Task A_session_lists_its_calls_in_time_order_with_totals_and_its_latest_user()
    {
        var id = (string)(await ui.RowsAsync("SELECT session_id FROM llm_events WHERE session_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"))[0][0]!;
        var calls = (await ui.RowsAsync("SELECT event_id FROM llm_events WHERE session_id = @id ORDER BY timestamp, event_id", ("id", id)))
            .Select(r => r[0]!.ToString()).ToList();
        var totals = (await ui.RowsAsync($"""
            SELECT count(*), count(*) FILTER (WHERE status = 'error'), sum(total_tokens), coalesce(sum(cost_usd), 0),
                   coalesce(sum(latency_ms::numeric), 0), {LatestUser}
            FROM llm_events WHERE session_id = @id
            """, ("id", id)))[0];

        var api = await _http.GetJsonAsync($"api/sessions/{Uri.EscapeDataString(id)}");

        Assert.Equal(id, Text(api["session_id"]));
        Assert.Equal((string?)totals[5], Text(api["user_id"]));
        Assert.Equal(calls, api["calls"]!.AsArray().Select(c => Text(c!["event_id"])).ToList());
        Assert.All(api["calls"]!.AsArray(), c => Assert.Null(c!["input"]));
        AssertTotals(totals, api["totals"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("api/sessions/no-such-session/at%20all")).StatusCode);
    }

    [Fact]
    public async Task A_trace_lists_its_spans_in_time_order_with_their_parents_and_totals()
    {
        var id = (string)(await ui.RowsAsync("SELECT trace_id FROM llm_events WHERE parent_span_id IS NOT NULL LIMIT 1"))[0][0]!;
        var spans = (await ui.RowsAsync("SELECT event_id, span_id, parent_span_id FROM llm_events WHERE trace_id = @id ORDER BY timestamp, event_id", ("id", id)))
            .Select(r => string.Join("|", r)).ToList();
        var totals = (await ui.RowsAsync("""
            SELECT count(*), count(*) FILTER (WHERE status = 'error'), sum(total_tokens), coalesce(sum(cost_usd), 0), coalesce(sum(latency_ms::numeric), 0)
            FROM llm_events WHERE trace_id = @id
            """, ("id", id)))[0];

        var api = await _http.GetJsonAsync($"api/traces/{id}");

        Assert.Equal(id, Text(api["trace_id"]));
        Assert.True(spans.Count > 1, $"trace {id} has {spans.Count} span(s)");
        Assert.Equal(spans, api["spans"]!.AsArray().Select(s => string.Join("|", Text(s!["event_id"]), Text(s["span_id"]), Text(s["parent_span_id"]))).ToList());
        AssertTotals(totals, api["totals"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("api/traces/0123456789abcdef0123456789abcdef")).StatusCode);
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 3)]
    [InlineData(1, 500)]
    public async Task Users_equal_sql_highest_cost_first(int page, int pageSize)
    {
        var start = ui.SeededAt.AddHours(-50.5);
        var end = ui.SeededAt.AddSeconds(1);
        var truth = (await ui.RowsAsync("""
            SELECT user_id, count(*), count(*) FILTER (WHERE status = 'error'), sum(total_tokens), coalesce(sum(cost_usd), 0), max(timestamp)
            FROM llm_events WHERE user_id IS NOT NULL AND timestamp >= @s AND timestamp < @e
            GROUP BY user_id ORDER BY 5 DESC, user_id COLLATE "C" LIMIT @l OFFSET @o
            """, ("s", start), ("e", end), ("l", pageSize), ("o", (page - 1) * pageSize)))
            .Select(r => string.Join("|", r[0], r[1], r[2], r[3], Num(r[4]), DbMicros(r[5])));
        var total = await ui.ScalarAsync<long>("SELECT count(DISTINCT user_id) FROM llm_events WHERE user_id IS NOT NULL AND timestamp >= @s AND timestamp < @e",
            ("s", start), ("e", end));

        var api = await _http.GetJsonAsync($"api/users?page={page}&page_size={pageSize}&start_time={Iso(start)}&end_time={Iso(end)}");

        Assert.Equal(total, api["total"]!.GetValue<long>());
        Assert.Equal(truth, api["items"]!.AsArray().Select(i => string.Join("|", Text(i!["user_id"]), i["calls"], i["errors"], i["total_tokens"],
            Num(Dec(i["cost_usd"])), Micros(Json.Time(i["last_seen"])))));
    }

    [Theory]
    [InlineData("api/sessions?page_size=501")]
    [InlineData("api/sessions?page=0")]
    [InlineData("api/sessions?hours=0")]
    [InlineData("api/users?page_size=0")]
    [InlineData("api/users?hours=100000")]
    public async Task Bad_parameters_get_a_problem_400(string url) =>
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync(url)).StatusCode);

    private static void AssertTotals(object?[] truth, JsonNode api) =>
        Assert.Equal(string.Join("|", truth[0], truth[1], truth[2], Num(truth[3]), Num(truth[4])),
            string.Join("|", api["calls"], api["errors"], api["total_tokens"], Num(Dec(api["cost_usd"])), Num(Dec(api["latency_ms_sum"]))));

    private static string? Text(JsonNode? node) => node?.GetValue<string>();
}
