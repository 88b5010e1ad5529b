using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LlmMonitor.AggregatorTests.Infrastructure;

namespace LlmMonitor.AggregatorTests;

/// <summary>/api/alerts: the contract's fields, secrets that are kept but never shown, hostile input, and who may edit.</summary>
public sealed class AlertsApiTests : IAsyncLifetime
{
    private const string Outsider = "203.0.113.7";
    private const string Password = "correct horse";
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private const string Rule = """
        {"name": "Errors on gpt-4o", "metric": "error_rate", "window_minutes": 15, "comparison": "above", "threshold": 5,
         "filter": {"model": "gpt-4o", "tag": "feature:chat"},
         "channels": [{"type": "webhook", "url": "https://hooks.example.com/llm?x=1", "secret": "s3cret"},
                      {"type": "slack", "url": "https://hooks.slack.com/services/T0/B0/XXXX"}]}
        """;

    /// <summary>Every row of the alert tables, to show that a refused request changed nothing.</summary>
    private Task<string> TablesAsync() => _db.ScalarAsync<string>("""
        SELECT coalesce((SELECT md5(string_agg(r::text, ',' ORDER BY r.id)) FROM alert_rules r), '')
            || coalesce((SELECT md5(string_agg(b::text, ',' ORDER BY b.id)) FROM budgets b), '')
        """);

    [Fact]
    public async Task A_rule_is_created_read_changed_and_deleted_as_the_contract_says()
    {
        await using var web = await WebUiHost.StartAsync(_db.ConnectionString, adminPassword: null);
        using var local = web.Client();

        var created = await local.PostAsync("/api/alerts", JsonContent.Of(Rule));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rule = await created.ObjectAsync();
        var id = (long)rule["id"]!;
        Assert.Equal($"/api/alerts/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal("Errors on gpt-4o", (string?)rule["name"]);
        Assert.Equal(("error_rate", 15, "above", 5.0), ((string)rule["metric"]!, (int)rule["window_minutes"]!, (string)rule["comparison"]!, (double)rule["threshold"]!));
        Assert.Equal(("gpt-4o", "feature:chat"), ((string)rule["filter"]!["model"]!, (string)rule["filter"]!["tag"]!));
        Assert.True((bool)rule["enabled"]!);
        Assert.Equal("ok", (string?)rule["state"]);
        var channels = rule["channels"]!.AsArray();
        Assert.Equal("https://hooks.example.com/llm?x=1", (string?)channels[0]!["url"]);
        Assert.True((bool)channels[0]!["has_secret"]!);
        Assert.False((bool)channels[1]!["has_secret"]!);
        Assert.DoesNotContain("s3cret", await created.Content.ReadAsStringAsync());

        var listed = await (await local.GetAsync("/api/alerts")).ArrayAsync();
        Assert.Equal(id, (long)listed.Single()!["id"]!);
        Assert.DoesNotContain("s3cret", listed.ToJsonString());

        // An edit that sends the channel without its secret keeps it; "" removes it.
        var changed = await local.PutAsync($"/api/alerts/{id}", JsonContent.Of(Rule.Replace("\"secret\": \"s3cret\"", "\"secret\": null")
            .Replace("\"threshold\": 5", "\"threshold\": 7.5").Replace("\"window_minutes\": 15", "\"window_minutes\": 1440")));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal((7.5, 1440), ((double)(await changed.ObjectAsync())["threshold"]!, (int)(await (await local.GetAsync($"/api/alerts/{id}")).ObjectAsync())["window_minutes"]!));
        Assert.Equal("s3cret", await _db.ScalarAsync<string>("SELECT channels -> 0 ->> 'secret' FROM alert_rules WHERE id = $1", id));
        await local.PutAsync($"/api/alerts/{id}", JsonContent.Of(Rule.Replace("\"secret\": \"s3cret\"", "\"secret\": \"\"")));
        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM alert_rules WHERE channels -> 0 ? 'secret' AND channels -> 0 ->> 'secret' IS NOT NULL"));

        Assert.Empty(await (await local.GetAsync($"/api/alerts/{id}/events")).ArrayAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await local.DeleteAsync($"/api/alerts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await local.GetAsync($"/api/alerts/{id}")).StatusCode);
        Assert.Empty(await (await local.GetAsync("/api/alerts")).ArrayAsync());
    }

    [Fact]
    public async Task Unknown_ids_are_404_and_change_nothing()
    {
        await using var web = await WebUiHost.StartAsync(_db.ConnectionString, adminPassword: null);
        using var local = web.Client();
        await local.PostAsync("/api/alerts", JsonContent.Of(Rule));
        var before = await TablesAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await local.GetAsync("/api/alerts/999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await local.PutAsync("/api/alerts/999", JsonContent.Of(Rule))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await local.DeleteAsync("/api/alerts/999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await local.GetAsync("/api/alerts/999/events")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await local.PostAsync("/api/alerts/999/test", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await local.GetAsync("/api/alerts/not-a-number")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await local.DeleteAsync("/api/alerts/1%3B%20DROP%20TABLE%20alert_rules")).StatusCode);
        Assert.Equal(before, await TablesAsync());
    }

    public static TheoryData<string, string, string> HostileRules => new()
    {
        { "unknown metric", Rule.Replace("\"error_rate\"", "\"errors\""), "metric" },
        { "window of 0", Rule.Replace("\"window_minutes\": 15", "\"window_minutes\": 0"), "window_minutes" },
        { "window of 1441", Rule.Replace("\"window_minutes\": 15", "\"window_minutes\": 1441"), "window_minutes" },
        { "window as text", Rule.Replace("\"window_minutes\": 15", "\"window_minutes\": \"15\""), "window_minutes" },
        { "window of 2^40", Rule.Replace("\"window_minutes\": 15", "\"window_minutes\": 1099511627776"), "window_minutes" },
        { "no window", Rule.Replace("\"window_minutes\": 15,", ""), "window_minutes" },
        { "comparison", Rule.Replace("\"above\"", "\"over\""), "comparison" },
        { "error rate over 100%", Rule.Replace("\"threshold\": 5", "\"threshold\": 150"), "threshold" },
        { "negative threshold", Rule.Replace("\"threshold\": 5", "\"threshold\": -1"), "threshold" },
        { "infinite threshold", Rule.Replace("\"threshold\": 5", "\"threshold\": 1e400"), "threshold" },
        { "no name", Rule.Replace("\"Errors on gpt-4o\"", "\"   \""), "name" },
        { "huge name", Rule.Replace("Errors on gpt-4o", new string('x', 20_000)), "name" },
        { "ftp URL", Rule.Replace("https://hooks.example.com/llm?x=1", "ftp://hooks.example.com/llm"), "channels[0].url" },
        { "javascript URL", Rule.Replace("https://hooks.example.com/llm?x=1", "javascript:alert(1)"), "channels[0].url" },
        { "relative URL", Rule.Replace("https://hooks.example.com/llm?x=1", "/llm"), "channels[0].url" },
        { "URL with a space", Rule.Replace("https://hooks.example.com/llm?x=1", "https://hooks.example.com/a b"), "channels[0].url" },
        { "huge URL", Rule.Replace("llm?x=1", new string('a', 5000)), "channels[0].url" },
        { "channel type", Rule.Replace("\"type\": \"slack\"", "\"type\": \"email\""), "channels[1].type" },
        { "huge secret", Rule.Replace("s3cret", new string('s', 300)), "channels[0].secret" },
        { "unknown channel field", Rule.Replace("\"type\": \"slack\"", "\"type\": \"slack\", \"headers\": {}"), "channels[1].headers" },
        { "tag without a value part", Rule.Replace("feature:chat", "feature"), "filter.tag" },
        { "tag without a key", Rule.Replace("feature:chat", ":chat"), "filter.tag" },
        { "tag key too long", Rule.Replace("feature:chat", new string('k', 65) + ":chat"), "filter.tag" },
        { "huge model", Rule.Replace("\"model\": \"gpt-4o\"", $"\"model\": \"{new string('m', 201)}\""), "filter.model" },
        { "unknown field", Rule.Replace("\"name\":", "\"owner\": \"x\", \"name\":"), "owner" },
        { "read-only field", Rule.Replace("\"name\":", "\"id\": 5, \"name\":"), "id" },
        { "filter as text", Rule.Replace("{\"model\": \"gpt-4o\", \"tag\": \"feature:chat\"}", "\"gpt-4o\""), "filter" },
        { "eleven channels", Rule.Replace("[{\"type\": \"webhook\"", "[" + string.Concat(Enumerable.Repeat("{\"type\": \"slack\", \"url\": \"https://a.example\"},", 10)) + "{\"type\": \"webhook\""), "channels" },
    };

    [Theory]
    [MemberData(nameof(HostileRules))]
    public async Task Bad_input_is_refused_naming_the_field_and_changes_nothing(string what, string body, string field)
    {
        await using var web = await WebUiHost.StartAsync(_db.ConnectionString, adminPassword: null);
        using var local = web.Client();
        var id = (long)(await (await local.PostAsync("/api/alerts", JsonContent.Of(Rule))).ObjectAsync())["id"]!;
        var before = await TablesAsync();

        var post = await local.PostAsync("/api/alerts", JsonContent.Of(body));
        var put = await local.PutAsync($"/api/alerts/{id}", JsonContent.Of(body));

        Assert.True(HttpStatusCode.BadRequest == post.StatusCode, what);
        Assert.Contains(field, await post.ErrorFieldsAsync());
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains(field, await put.ErrorFieldsAsync());
        Assert.Equal(before, await TablesAsync());
    }

    [Fact]
    public async Task Bodies_that_are_not_a_json_object_of_reasonable_size_are_refused()
    {
        await using var web = await WebUiHost.StartAsync(_db.ConnectionString, adminPassword: null);
        using var local = web.Client();
        var before = await TablesAsync();

        Assert.Equal(HttpStatusCode.BadRequest, (await local.PostAsync("/api/alerts", JsonContent.Of("{\"name\": "))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await local.PostAsync("/api/alerts", JsonContent.Of("[" + Rule + "]"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await local.PostAsync("/api/alerts", JsonContent.Of(""))).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge,
            (await local.PostAsync("/api/alerts", JsonContent.Of(Rule.Replace("s3cret", new string('s', 70_000))))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await local.PostAsync("/api/alerts", new StringContent(Rule, Encoding.UTF8, "text/plain"))).StatusCode);
        Assert.Equal(before, await TablesAsync());
    }

    [Fact]
    public async Task Without_a_password_only_this_machine_may_edit_and_others_see_no_webhook_paths()
    {
        await using var web = await WebUiHost.StartAsync(_db.ConnectionString, adminPassword: null);
        using var local = web.Client();
        using var outsider = web.Client(Outsider);
        var id = (long)(await (await local.PostAsync("/api/alerts", JsonContent.Of(Rule))).ObjectAsync())["id"]!;
        var before = await TablesAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.PostAsync("/api/alerts", JsonContent.Of(Rule))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.PutAsync($"/api/alerts/{id}", JsonContent.Of(Rule))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.DeleteAsync($"/api/alerts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.PostAsync($"/api/alerts/{id}/test", null)).StatusCode);
        Assert.Equal(before, await TablesAsync());

        // Readable like the read API, but a Slack webhook's URL is its credential: outsiders see the host only.
        var seen = await (await outsider.GetAsync($"/api/alerts/{id}")).ObjectAsync();
        Assert.Equal("https://hooks.slack.com/…", (string?)seen["channels"]![1]!["url"]);
        Assert.DoesNotContain("XXXX", (await outsider.GetStringAsync("/api/alerts")));
    }

    [Fact]
    public async Task With_a_password_only_the_admin_may_edit()
    {
        await using var web = await WebUiHost.StartAsync(_db.ConnectionString, Password);
        using var admin = web.Client(Outsider);
        admin.DefaultRequestHeaders.Authorization = Basic("admin", Password);
        using var anonymous = web.Client();
        using var wrong = web.Client(Outsider);
        wrong.DefaultRequestHeaders.Authorization = Basic("admin", "guess");
        var id = (long)(await (await admin.PostAsync("/api/alerts", JsonContent.Of(Rule))).ObjectAsync())["id"]!;
        var before = await TablesAsync();

        foreach (var client in new[] { anonymous, wrong })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/api/alerts", JsonContent.Of(Rule))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PutAsync($"/api/alerts/{id}", JsonContent.Of(Rule))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.DeleteAsync($"/api/alerts/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/alerts")).StatusCode); // the read API needs the admin too
        }

        Assert.Equal(before, await TablesAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/alerts/{id}")).StatusCode);
    }

    [Fact]
    public async Task An_edit_a_page_of_another_site_makes_the_local_browser_send_is_refused()
    {
        await using var web = await WebUiHost.StartAsync(_db.ConnectionString, adminPassword: null);
        using var browser = web.Client();
        browser.DefaultRequestHeaders.Add("Origin", "https://evil.example");

        Assert.Equal(HttpStatusCode.Forbidden, (await browser.PostAsync("/api/alerts", JsonContent.Of(Rule))).StatusCode);
        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM alert_rules"));

        using var samePage = web.Client();
        samePage.DefaultRequestHeaders.Add("Origin", "http://localhost");
        Assert.Equal(HttpStatusCode.Created, (await samePage.PostAsync("/api/alerts", JsonContent.Of(Rule))).StatusCode);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
