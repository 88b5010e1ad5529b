using System.Net;
using LlmMonitor.AggregatorTests.Infrastructure;

namespace LlmMonitor.AggregatorTests;

/// <summary>/api/budgets: the contract's fields, the spend of the current period (equal to SQL over llm_events), hostile input, who may edit.</summary>
public sealed class BudgetsApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);
    private const string Outsider = "203.0.113.7";
    private TestDatabase _db = null!;

    private const string Budget = """
        {"name": "Per-user monthly", "scope": {"per": "user_id"}, "period": "month", "limit_usd": 0.5,
         "channels": [{"type": "webhook", "url": "http://127.0.0.1:9/budget", "secret": "k"}]}
        """;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var book = await StoredEvents.BookAsync(_db);
        await _db.Partitions.EnsureAsync(new DateOnly(2025, 5, 28), new DateOnly(2025, 6, 17));
        await _db.Writer.WriteAsync([
            .. TestEvents.Spread(book, "gpt-4o", new DateTimeOffset(2025, 5, 29, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(17), 600, 1),
            .. TestEvents.Spread(book, "claude-sonnet-4", new DateTimeOffset(2025, 6, 10, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(6), 300, 2),
        ]);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<string> TablesAsync() => _db.ScalarAsync<string>("SELECT coalesce(md5(string_agg(b::text, ',' ORDER BY b.id)), '') FROM budgets b");

    /// <summary>The scope's spend in June (or on 15 June), by the per key's value, straight from llm_events.</summary>
    private async Task<Dictionary<string, decimal>> ExpectedAsync(string per, string where, bool day = false)
    {
        var from = day ? Now.Date : new DateTime(2025, 6, 1);
        await using var cmd = _db.Command($"""
            SELECT coalesce({per}, '(none)'), sum(cost_usd) FROM llm_events
            WHERE timestamp >= $1 AND timestamp < $2 AND {where} GROUP BY 1 HAVING sum(cost_usd) > 0
            """, new DateTimeOffset(from, TimeSpan.Zero), new DateTimeOffset(from, TimeSpan.Zero).AddDays(day ? 1 : 30));
        await using var r = await cmd.ExecuteReaderAsync();
        var spend = new Dictionary<string, decimal>();
        while (await r.ReadAsync())
        {
            spend[r.GetString(0)] = r.GetDecimal(1);
        }

        return spend;
    }

    private static async Task<Dictionary<string, decimal>> SpendAsync(HttpClient client, long id)
    {
        var budget = await (await client.GetAsync($"/api/budgets/{id}?spend_limit=1000")).ObjectAsync();
        return budget["spend"]!.AsArray().Where(s => (decimal)s!["spend_usd"]! > 0)
            .ToDictionary(s => (string?)s!["key"] ?? "(none)", s => (decimal)s!["spend_usd"]!);
    }

    [Fact]
    public async Task A_budget_is_created_read_with_its_spend_changed_and_deleted()
    {
        await using var web = await WebUiHost.StartAsync(_db.ConnectionString, adminPassword: null, new TestClock(Now));
        using var local = web.Client();

        var created = await local.PostAsync("/api/budgets", JsonContent.Of(Budget));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var budget = await created.ObjectAsync();
        var id = (long)budget["id"]!;
        Assert.Equal(("Per-user monthly", "month", 0.5m, "user_id"), ((string)budget["name"]!, (string)budget["period"]!, (decimal)budget["limit_usd"]!, (string)budget["scope"]!["per"]!));
        Assert.Equal([50, 80, 100], budget["notify_at_percent"]!.AsArray().Select(p => (int)p!));
        Assert.True((bool)budget["channels"]![0]!["has_secret"]!);
        Assert.Null(budget["spend"]); // only GET /api/budgets/{id} has it

        var read = await (await local.GetAsync($"/api/budgets/{id}")).ObjectAsync();
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero), read["period_start"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero), read["period_end"]!.GetValue<DateTimeOffset>());
        var spend = read["spend"]!.AsArray();
        Assert.Equal(3, (int)read["spend_keys"]!);
        Assert.Equal(spend.Select(s => (decimal)s!["spend_usd"]!).OrderDescending(), spend.Select(s => (decimal)s!["spend_usd"]!));
        var first = spend[0]!;
        Assert.Equal(Math.Round((double)((decimal)first["spend_usd"]! / 0.5m * 100), 2), (double)first["percent"]!);
        Assert.Equal(await ExpectedAsync("tags ->> 'user_id'", "tags ? 'user_id'"), await SpendAsync(local, id));
        Assert.Single((await (await local.GetAsync($"/api/budgets/{id}?spend_limit=1")).ObjectAsync())["spend"]!.AsArray());

        // A new name keeps the revision (notifications already sent stay sent); a new limit starts them afresh.
        var renamed = await local.PutAsync($"/api/budgets/{id}", JsonContent.Of(Budget.Replace("Per-user monthly", "Users").Replace("\"secret\": \"k\"", "\"secret\": null")));
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal((1, "k"), (await _db.ScalarAsync<int>("SELECT revision FROM budgets WHERE id = $1", id),
            await _db.ScalarAsync<string>("SELECT channels -> 0 ->> 'secret' FROM budgets WHERE id = $1", id)));
        await local.PutAsync($"/api/budgets/{id}", JsonContent.Of(Budget.Replace("0.5", "2")));
        Assert.Equal(2, await _db.ScalarAsync<int>("SELECT revision FROM budgets WHERE id = $1", id));

        Assert.Equal(HttpStatusCode.NoContent, (await local.DeleteAsync($"/api/budgets/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await local.GetAsync($"/api/budgets/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await local.PutAsync($"/api/budgets/{id}", JsonContent.Of(Budget))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await local.DeleteAsync($"/api/budgets/{id}")).StatusCode);
    }

    public static TheoryData<string, string, bool> Scopes => new()
    {
        // scope, the SQL of its key and filter, daily
        { """{"model": "gpt-4o"}""", "'(none)'|model = 'gpt-4o'", false },
        { "{}", "'(none)'|true", true },
        { """{"tag": "feature:chat"}""", "'(none)'|tags @> '{\"feature\": \"chat\"}'", false },
        { """{"model": "gpt-4o", "per": "user_id"}""", "tags ->> 'user_id'|model = 'gpt-4o' AND tags ? 'user_id'", false },
        { """{"tag": "feature:search", "per": "user_id"}""", "tags ->> 'user_id'|tags @> '{\"feature\": \"search\"}' AND tags ? 'user_id'", true },
        { """{"model": "claude-sonnet-4", "tag": "user_id:u2"}""", "'(none)'|model = 'claude-sonnet-4' AND tags @> '{\"user_id\": \"u2\"}'", false },
    };

    [Theory]
    [MemberData(nameof(Scopes))]
    public async Task The_spend_of_every_scope_equals_sql_over_the_calls(string scope, string sql, bool daily)
    {
        await using var web = await WebUiHost.StartAsync(_db.ConnectionString, adminPassword: null, new TestClock(Now));
        using var local = web.Client();
        var body = Budget.Replace("""{"per": "user_id"}""", scope).Replace("\"month\"", daily ? "\"day\"" : "\"month\"");
        var id = (long)(await (await local.PostAsync("/api/budgets", JsonContent.Of(body))).ObjectAsync())["id"]!;

        var expected = await ExpectedAsync(sql.Split('|')[0], sql.Split('|')[1], daily);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, await SpendAsync(local, id));
    }

    public static TheoryData<string, string> HostileBudgets => new()
    {
        { Budget.Replace("\"month\"", "\"week\""), "period" },
        { Budget.Replace("\"period\": \"month\",", ""), "period" },
        { Budget.Replace("0.5", "0"), "limit_usd" },
        { Budget.Replace("0.5", "-3"), "limit_usd" },
        { Budget.Replace("0.5", "1e30"), "limit_usd" },
        { Budget.Replace("0.5", "\"5\""), "limit_usd" },
        { Budget.Replace("\"limit_usd\": 0.5", "\"limit_usd\": 0.5, \"notify_at_percent\": []"), "notify_at_percent" },
        { Budget.Replace("\"limit_usd\": 0.5", "\"limit_usd\": 0.5, \"notify_at_percent\": [0, 50]"), "notify_at_percent" },
        { Budget.Replace("\"limit_usd\": 0.5", "\"limit_usd\": 0.5, \"notify_at_percent\": [50, 50]"), "notify_at_percent" },
        { Budget.Replace("\"limit_usd\": 0.5", "\"limit_usd\": 0.5, \"notify_at_percent\": [5000]"), "notify_at_percent" },
        { Budget.Replace("\"limit_usd\": 0.5", "\"limit_usd\": 0.5, \"notify_at_percent\": [1,2,3,4,5,6,7,8,9,10,11]"), "notify_at_percent" },
        { Budget.Replace("\"limit_usd\": 0.5", "\"limit_usd\": 0.5, \"notify_at_percent\": [50.5]"), "notify_at_percent[0]" },
        { Budget.Replace("\"user_id\"", $"\"{new string('k', 65)}\""), "scope.per" },
        { Budget.Replace("{\"per\": \"user_id\"}", "{\"tag\": \"nocolon\"}"), "scope.tag" },
        { Budget.Replace("{\"per\": \"user_id\"}", "{\"per\": \"user_id\", \"team\": \"a\"}"), "scope.team" },
        { Budget.Replace("http://127.0.0.1:9/budget", "file:///etc/passwd"), "channels[0].url" },
        { Budget.Replace("Per-user monthly", new string('n', 201)), "name" },
    };

    [Theory]
    [MemberData(nameof(HostileBudgets))]
    public async Task Bad_input_is_refused_naming_the_field_and_changes_nothing(string body, string field)
    {
        await using var web = await WebUiHost.StartAsync(_db.ConnectionString, adminPassword: null, new TestClock(Now));
        using var local = web.Client();
        var id = (long)(await (await local.PostAsync("/api/budgets", JsonContent.Of(Budget))).ObjectAsync())["id"]!;
        var before = await TablesAsync();

        var post = await local.PostAsync("/api/budgets", JsonContent.Of(body));
        var put = await local.PutAsync($"/api/budgets/{id}", JsonContent.Of(body));

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Contains(field, await post.ErrorFieldsAsync());
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains(field, await put.ErrorFieldsAsync());
        Assert.Equal(before, await TablesAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await local.GetAsync($"/api/budgets/{id}?spend_limit=0")).StatusCode);
    }

    [Fact]
    public async Task Only_the_admin_may_edit_budgets()
    {
        await using var web = await WebUiHost.StartAsync(_db.ConnectionString, adminPassword: null, new TestClock(Now));
        using var local = web.Client();
        using var outsider = web.Client(Outsider);
        var id = (long)(await (await local.PostAsync("/api/budgets", JsonContent.Of(Budget))).ObjectAsync())["id"]!;
        var before = await TablesAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.PostAsync("/api/budgets", JsonContent.Of(Budget))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.PutAsync($"/api/budgets/{id}", JsonContent.Of(Budget))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.DeleteAsync($"/api/budgets/{id}")).StatusCode);
        Assert.Equal(before, await TablesAsync());
        Assert.Equal(HttpStatusCode.OK, (await outsider.GetAsync($"/api/budgets/{id}")).StatusCode);
        Assert.False((bool)(await (await outsider.GetAsync("/api/budgets")).ArrayAsync())[0]!["channels"]![0]!["url"]!.ToString().Contains("/budget"));
    }
}
