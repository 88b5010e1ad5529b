using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LlmMonitor.WebUi.Tests.Infrastructure;

namespace LlmMonitor.WebUi.Tests;

/// <summary>
/// The alerts and budgets pages over HTTP: only the admin gets the edit surfaces (the forms and the API they post
/// to), as with pricing edits; whatever a rule or budget is named is shown as text.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed class AlertPagesTests(WebUiFixture ui)
{
    // alert(13): the seeded calls hold alert(1) markup too, which the dashboard shows escaped.
    private const string Hostile = "<script>alert(13)</script><img src=x onerror=alert(2)>\"'&";

    public static TheoryData<string, string> NotLocal => new()
    {
        { "X-Forwarded-For", "203.0.113.7" },
        { "Host", "evil.example" },
    };

    [Fact]
    public async Task With_a_password_and_no_sign_in_the_pages_redirect_and_every_edit_is_refused()
    {
        using var http = ui.Protected.Client(new HttpClientHandler { AllowAutoRedirect = false });
        foreach (var page in new[] { "/alerts", "/budgets", "/alerts?edit=1" })
        {
            var response = await http.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery);
        }

        foreach (var edit in Edits())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(edit)).StatusCode);
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{WebUiFixture.Password}")));
        Assert.Contains("id=\"rule-form\"", await http.GetStringAsync("/alerts"));
        Assert.Contains("id=\"budget-form\"", await http.GetStringAsync("/budgets"));
    }

    [Theory]
    [MemberData(nameof(NotLocal))]
    public async Task Without_a_password_a_proxied_request_reads_the_pages_without_forms_or_whole_urls_and_cannot_edit(string header, string value)
    {
        using var http = ui.Open.Client();
        var rule = await AlertsApi.CreateRuleAsync(http, "Proxied reader", """{"channels": [{"type": "slack", "url": "https://hooks.slack.com/services/T0/B0/xyz"}]}""");
        var budget = await AlertsApi.CreateAsync(http, "/api/budgets", """{"name": "Proxied budget", "period": "day", "limit_usd": 5}""");
        try
        {
            var alerts = await ReadAsync(http, $"/alerts?edit={rule}", header, value);
            Assert.Contains("Proxied reader", alerts);
            Assert.DoesNotContain("rule-form", alerts);
            Assert.DoesNotContain("data-delete", alerts);
            Assert.DoesNotContain("data-send-test", alerts);
            Assert.DoesNotContain("alert-forms.js", alerts);
            Assert.DoesNotContain("T0/B0/xyz", alerts);
            Assert.Contains("https://hooks.slack.com/&#x2026;", alerts); // "…", as Razor encodes it

            var budgets = await ReadAsync(http, $"/budgets?edit={budget}", header, value);
            Assert.Contains("Proxied budget", budgets);
            Assert.DoesNotContain("budget-form", budgets);
            Assert.DoesNotContain("data-delete", budgets);

            foreach (var edit in Edits(rule, budget))
            {
                Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(edit.With(header, value))).StatusCode);
            }

            // A notification's dashboard_url leads to the rule or budget on its page.
            using var noRedirect = ui.Open.Client(new HttpClientHandler { AllowAutoRedirect = false });
            Assert.Equal($"/alerts#rule-{rule}", (await noRedirect.GetAsync($"/alerts/{rule}")).Headers.Location?.OriginalString);
            Assert.Equal($"/budgets#budget-{budget}", (await noRedirect.GetAsync($"/budgets/{budget}")).Headers.Location?.OriginalString);

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/alerts/{rule}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/budgets/{budget}")).StatusCode);
        }
        finally
        {
            await AlertsApi.DeleteAsync(http, $"/api/alerts/{rule}");
            await AlertsApi.DeleteAsync(http, $"/api/budgets/{budget}");
        }
    }

    [Fact]
    public async Task Markup_in_names_and_urls_is_shown_as_text_on_the_pages_and_in_the_banner()
    {
        using var http = ui.Open.Client();
        // No call matches its filter: 0 requests, below 1, so the evaluation sets it firing (and its name goes into the banner).
        var rule = await AlertsApi.CreateRuleAsync(http, Hostile, """
            {"metric": "requests", "comparison": "below", "threshold": 1, "filter": {"model": "<b>m</b>", "tag": "k:<i>v</i>"},
             "channels": [{"type": "webhook", "url": "https://x.example/a?b=\"><script>alert(3)</script>"}]}
            """);
        var budget = await AlertsApi.CreateAsync(http, "/api/budgets",
            "{\"name\": " + System.Text.Json.JsonSerializer.Serialize(Hostile) + """, "period": "day", "limit_usd": 5, "scope": {"per": "<u>k</u>"}}""");
        try
        {
            using (var evaluation = new AlertEvaluation(ui.ConnectionString))
            {
                await evaluation.RunAsync();
            }

            foreach (var page in new[] { "/?range=1h", "/alerts", $"/alerts?edit={rule}", "/budgets", $"/budgets?edit={budget}" })
            {
                var html = await http.GetStringAsync(page);
                Assert.Contains("&lt;script&gt;alert(13)&lt;/script&gt;", html);
                Assert.DoesNotContain("<script>alert", html);
                Assert.DoesNotContain("<img src=x", html);
                Assert.DoesNotContain("<b>m</b>", html);
                Assert.DoesNotContain("<i>v</i>", html);
                Assert.DoesNotContain("<u>k</u>", html);
            }

            Assert.Contains("id=\"firing-banner\"", await http.GetStringAsync("/?range=1h"));
        }
        finally
        {
            await AlertsApi.DeleteAsync(http, $"/api/alerts/{rule}");
            await AlertsApi.DeleteAsync(http, $"/api/budgets/{budget}");
        }
    }

    private static async Task<string> ReadAsync(HttpClient http, string path, string header, string value)
    {
        var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, path).With(header, value));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static IEnumerable<HttpRequestMessage> Edits(long rule = 1, long budget = 1)
    {
        const string ruleBody = """{"name": "x", "metric": "requests", "window_minutes": 5, "comparison": "above", "threshold": 1}""";
        const string budgetBody = """{"name": "x", "period": "day", "limit_usd": 1}""";
        yield return new HttpRequestMessage(HttpMethod.Post, "/api/alerts") { Content = AlertsApi.Body(ruleBody) };
        yield return new HttpRequestMessage(HttpMethod.Put, $"/api/alerts/{rule}") { Content = AlertsApi.Body(ruleBody) };
        yield return new HttpRequestMessage(HttpMethod.Delete, $"/api/alerts/{rule}");
        yield return new HttpRequestMessage(HttpMethod.Post, $"/api/alerts/{rule}/test");
        yield return new HttpRequestMessage(HttpMethod.Post, "/api/budgets") { Content = AlertsApi.Body(budgetBody) };
        yield return new HttpRequestMessage(HttpMethod.Put, $"/api/budgets/{budget}") { Content = AlertsApi.Body(budgetBody) };
        yield return new HttpRequestMessage(HttpMethod.Delete, $"/api/budgets/{budget}");
    }
}
