using System.Globalization;
using System.Text.Json.Nodes;
using LlmMonitor.WebUi.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LlmMonitor.WebUi.Tests;

/// <summary>The alerts and budgets pages and the firing banner in Chromium, under the page CSP, against the JSON API.</summary>
[Collection(WebUiCollection.Name)]
public sealed class AlertPagesBrowserTests(WebUiFixture ui) : BrowserTest
{
    private readonly HttpClient _http = ui.Open.Client();

    [Fact]
    public async Task A_rule_created_through_the_form_is_listed_with_its_state_and_stored_as_entered()
    {
        var name = $"Errors on gpt-4o {Guid.NewGuid():N}";
        await Page.GotoAsync(Url("/alerts"));
        await Page.FillAsync("#rule-form [data-json=name]", name);
        await Page.SelectOptionAsync("#rule-form [data-json=metric]", "p95_latency_ms");
        await Page.FillAsync("#rule-form [data-json=window_minutes]", "30");
        await Page.SelectOptionAsync("#rule-form [data-json=comparison]", "above");
        await Page.FillAsync("#rule-form [data-json=threshold]", "2500");
        await Page.FillAsync("#rule-form [data-json='filter.model']", "gpt-4o");
        await Page.FillAsync("#rule-form [data-json='filter.tag']", "feature:chat");
        await Page.Locator("#rule-form [data-channel=url]").First.FillAsync("https://hooks.example.com/llm");
        await Page.Locator("#rule-form [data-channel=secret]").First.FillAsync("hush");
        await Page.ClickAsync("#rule-form button[type=submit]");

        var row = Page.Locator("#rules-table tbody tr[data-id]", new PageLocatorOptions { Has = Page.GetByText(name, new PageGetByTextOptions { Exact = true }) });
        await row.WaitForAsync();
        var id = long.Parse(await row.GetAttributeAsync("data-id") ?? "", CultureInfo.InvariantCulture);
        try
        {
            var rule = await _http.GetJsonAsync($"api/alerts/{id}");
            Assert.Equal(name, rule["name"]!.GetValue<string>());
            Assert.Equal("p95_latency_ms", rule["metric"]!.GetValue<string>());
            Assert.Equal(30, rule["window_minutes"]!.GetValue<int>());
            Assert.Equal(2500, rule["threshold"]!.GetValue<double>());
            Assert.Equal("gpt-4o", rule["filter"]!["model"]!.GetValue<string>());
            Assert.Equal("feature:chat", rule["filter"]!["tag"]!.GetValue<string>());
            Assert.True(rule["channels"]![0]!["has_secret"]!.GetValue<bool>());

            Assert.Equal("ok", await row.Locator("[data-field=state]").InnerTextAsync());
            Assert.Contains("p95_latency_ms over 30 min above 2,500 ms", await row.Locator("[data-field=condition]").InnerTextAsync());
            Assert.Contains("https://hooks.example.com/llm (signed)", await row.Locator("[data-field=channels]").InnerTextAsync());
            Assert.DoesNotContain("hush", await Page.ContentAsync());
            await Screenshot("alerts");

            // Edit: the form comes back filled; the secret left empty is kept.
            await row.Locator("a:has-text('Edit')").ClickAsync();
            Assert.Equal("2500", await Page.InputValueAsync("#rule-form [data-json=threshold]"));
            await Page.FillAsync("#rule-form [data-json=threshold]", "3000");
            await NavigateByAsync(() => Page.ClickAsync("#rule-form button[type=submit]"), u => !u.Contains("edit=", StringComparison.Ordinal));
            var edited = await _http.GetJsonAsync($"api/alerts/{id}");
            Assert.Equal(3000, edited["threshold"]!.GetValue<double>());
            Assert.True(edited["channels"]![0]!["has_secret"]!.GetValue<bool>());
            AssertNoCspViolations();
        }
        finally
        {
            await AlertsApi.DeleteAsync(_http, $"api/alerts/{id}");
        }
    }

    [Fact]
    public async Task Bad_values_show_the_api_errors_next_to_their_fields_and_create_nothing()
    {
        var before = (await _http.GetJsonAsync("api/alerts")).AsArray().Count;
        await Page.GotoAsync(Url("/alerts"));
        await Page.FillAsync("#rule-form [data-json=name]", "Too wide");
        await Page.FillAsync("#rule-form [data-json=window_minutes]", "5000");
        await Page.FillAsync("#rule-form [data-json=threshold]", "150");
        await Page.FillAsync("#rule-form [data-json='filter.tag']", "no-colon");
        await Page.Locator("#rule-form [data-channel=url]").First.FillAsync("ftp://example.com/x");
        await Page.ClickAsync("#rule-form button[type=submit]");

        await Page.Locator("[data-error-for=window_minutes]:not(:empty)").WaitForAsync();
        Assert.Equal("is required, 1-1440", await Page.InnerTextAsync("[data-error-for=window_minutes]"));
        Assert.Equal("is required, 0-100 (a percent)", await Page.InnerTextAsync("[data-error-for=threshold]"));
        Assert.NotEmpty(await Page.InnerTextAsync("[data-error-for='filter.tag']"));
        Assert.Contains("absolute http or https URL", await Page.Locator(".channel-row [data-channel-error]").First.InnerTextAsync());
        Assert.Empty(await Page.InnerTextAsync("[data-error-for=name]"));
        Assert.Equal(before, (await _http.GetJsonAsync("api/alerts")).AsArray().Count);
        await Screenshot("alerts-errors");
        AssertNoCspViolations();
    }

    [Fact]
    public async Task The_budgets_page_shows_spend_bars_equal_to_the_api_spend()
    {
        var perUser = await AlertsApi.CreateAsync(_http, "/api/budgets", """{"name": "Per user monthly", "period": "month", "limit_usd": 0.5, "scope": {"per": "user_id"}}""");
        var total = await AlertsApi.CreateAsync(_http, "/api/budgets", """{"name": "Everything today", "period": "day", "limit_usd": 20}""");
        try
        {
            await Page.GotoAsync(Url("/budgets"));
            foreach (var id in new[] { perUser, total })
            {
                var api = await _http.GetJsonAsync($"api/budgets/{id}?spend_limit=10");
                var expected = api["spend"]!.AsArray().Select(s => new[]
                {
                    s!["key"]?.GetValue<string>() ?? "", s["spend_usd"]!.GetValue<decimal>().ToString("0.##########", CultureInfo.InvariantCulture),
                    s["percent"]!.GetValue<double>().ToString("0.##", CultureInfo.InvariantCulture) + "%",
                }).ToArray();
                Assert.NotEmpty(expected);
                Assert.True(expected.All(s => s[1] != "0"), "the seed spends in the current period");
                var shown = await Page.Locator($"#budget-{id} li.spend").EvaluateAllAsync<string[][]>(
                    "items => items.map(i => [i.dataset.key ?? '', i.dataset.spend, i.dataset.percent])");
                Assert.Equal(expected, shown);
                var bars = await Page.Locator($"#budget-{id} meter.spend-bar").EvaluateAllAsync<double[]>("ms => ms.map(m => m.value)");
                Assert.Equal(expected.Select(s => Math.Min(double.Parse(s[2].TrimEnd('%'), CultureInfo.InvariantCulture), 100)), bars);
            }

            var keys = (await _http.GetJsonAsync($"api/budgets/{perUser}"))["spend_keys"]!.GetValue<int>();
            Assert.True(keys > 1, $"only {keys} users spent");
            Assert.StartsWith(keys.ToString("N0", CultureInfo.InvariantCulture) + " values of user_id", await Page.InnerTextAsync($"#budget-{perUser} [data-field=spend-keys]"));
            await Screenshot("budgets");
            AssertNoCspViolations();
        }
        finally
        {
            await AlertsApi.DeleteAsync(_http, $"api/budgets/{perUser}");
            await AlertsApi.DeleteAsync(_http, $"api/budgets/{total}");
        }
    }

    [Fact]
    public async Task The_main_page_shows_a_banner_while_a_rule_fires_and_none_once_it_resolves()
    {
        var model = $"banner-model-{Guid.NewGuid():N}";
        var name = $"Errors on {model}";
        var id = await AlertsApi.CreateRuleAsync(_http, name, $$$"""{"threshold": 50, "window_minutes": 10, "filter": {"model": "{{{model}}}"}}""");
        using var evaluation = new AlertEvaluation(ui.ConnectionString);
        try
        {
            await evaluation.RunAsync();
            await Page.GotoAsync(Url("/?range=24h"));
            Assert.Equal(0, await Page.Locator("#firing-banner").CountAsync());

            // Three errors in three calls: 100% > 50%, the evaluation sets the rule firing.
            await AlertCalls.WriteAsync(ui, model, 3, error: true);
            await evaluation.RunAsync();
            await Page.GotoAsync(Url("/?range=24h"));
            var link = Page.Locator("#firing-banner a.firing-rule");
            Assert.Equal([name], await link.AllInnerTextsAsync());
            await Screenshot("firing-banner");
            await NavigateByAsync(() => link.ClickAsync(), u => u.EndsWith($"/alerts#rule-{id}", StringComparison.Ordinal));
            Assert.Equal("firing", await Page.InnerTextAsync($"#rule-{id} [data-field=state]"));
            Assert.Equal("100%", await Page.InnerTextAsync($"#rule-{id} [data-field=value]"));

            // Ten successes more: 3 of 13 (23%), the next evaluation resolves it, and the history has both changes.
            await AlertCalls.WriteAsync(ui, model, 10, error: false);
            await evaluation.RunAsync();
            await Page.GotoAsync(Url("/?range=24h"));
            Assert.Equal(0, await Page.Locator("#firing-banner").CountAsync());
            await Page.GotoAsync(Url("/alerts"));
            Assert.Equal("ok", await Page.InnerTextAsync($"#rule-{id} [data-field=state]"));
            await Page.ClickAsync($"tr[data-history-for='{id}'] summary");
            Assert.Equal(["resolved", "firing"], await Page.Locator($"tr[data-history-for='{id}'] table.history tbody tr td:first-child").AllInnerTextsAsync());
            AssertNoCspViolations();
        }
        finally
        {
            await AlertsApi.DeleteAsync(_http, $"api/alerts/{id}");
        }
    }

    private string Url(string path) => new Uri(ui.Open.BaseAddress, path).ToString();
}
