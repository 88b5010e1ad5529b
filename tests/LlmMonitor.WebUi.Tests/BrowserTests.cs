using System.Globalization;
using LlmMonitor.WebUi.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LlmMonitor.WebUi.Tests;

/// <summary>The dashboard in a real browser on the seeded stack; screenshots go to TestResults/screenshots.</summary>
[Collection(WebUiCollection.Name)]
public sealed class BrowserTests(WebUiFixture ui) : BrowserTest
{
    [Fact]
    public async Task The_cards_show_the_apis_numbers()
    {
        await Page.GotoAsync(new Uri(ui.Open.BaseAddress, "/?range=7d").ToString());
        var start = await Page.GetAttributeAsync("#sections-meta", "data-start");
        var end = await Page.GetAttributeAsync("#sections-meta", "data-end");
        using var http = ui.Open.Client();
        var api = await http.GetJsonAsync($"api/metrics/overview?start_time={Uri.EscapeDataString(start!)}&end_time={Uri.EscapeDataString(end!)}");
        Assert.Equal(api["total_requests"]!.GetValue<long>().ToString("N0", CultureInfo.InvariantCulture), await Card("requests"));
        Assert.Equal("$" + api["total_cost"]!.GetValue<decimal>().ToString("N2", CultureInfo.InvariantCulture), await Card("cost"));
        Assert.Equal(api["error_rate"]!.GetValue<double>().ToString("0.00", CultureInfo.InvariantCulture) + "%", await Card("error-rate"));
        var p95 = api["p95_latency_ms"]!.GetValue<double>();
        Assert.Equal(p95 >= 1000 ? (p95 / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s" : p95.ToString("0", CultureInfo.InvariantCulture) + " ms", await Card("p95-latency"));
        Assert.Contains("mystery-model", await Page.InnerTextAsync("#unpriced-notice"));
        await Page.WaitForFunctionAsync("() => document.querySelector('#timeseries').dataset.points > 0");
        await Screenshot("dashboard");
        await Page.SetViewportSizeAsync(390, 844);
        await Screenshot("dashboard-phone");
        AssertNoCspViolations();
    }

    [Fact]
    public async Task Switching_the_chart_metric_and_interval_redraws_it()
    {
        await Page.GotoAsync(new Uri(ui.Open.BaseAddress, "/?range=7d").ToString());
        await Page.WaitForFunctionAsync("() => document.querySelector('#timeseries').dataset.metric === 'requests'");
        var hourly = int.Parse((await Page.GetAttributeAsync("#timeseries", "data-points"))!, CultureInfo.InvariantCulture);
        await Page.ClickAsync("[data-metric=cost]");
        await Page.WaitForFunctionAsync("() => document.querySelector('#timeseries').dataset.metric === 'cost'");
        await Page.ClickAsync("[data-metric=latency_p95]");
        await Page.WaitForFunctionAsync("() => document.querySelector('#timeseries').dataset.metric === 'latency_p95'");
        await Page.ClickAsync("[data-interval='1d']");
        await Page.WaitForFunctionAsync("() => document.querySelector('#timeseries').dataset.interval === '1d'");
        var daily = int.Parse((await Page.GetAttributeAsync("#timeseries", "data-points"))!, CultureInfo.InvariantCulture);
        Assert.True(hourly >= 24 * 7 && daily is >= 7 and <= 9, $"{hourly} hourly, {daily} daily points");
        Assert.Contains("metric=latency_p95", Page.Url);
        await Screenshot("chart-latency-daily");
        AssertNoCspViolations();
    }

    [Fact]
    public async Task The_model_filter_narrows_the_table_and_paging_works()
    {
        await Page.GotoAsync(new Uri(ui.Open.BaseAddress, "/?range=7d").ToString());
        var total = await Page.InnerTextAsync("#calls-total");
        await Page.SelectOptionAsync("#model-filter", "claude-sonnet-4");
        await Page.WaitForFunctionAsync("() => new URLSearchParams(location.search).get('model') === 'claude-sonnet-4' && !document.querySelector('.refresh').classList.contains('loading')");
        await Page.WaitForSelectorAsync("tr.call");
        var models = await Page.Locator("tr.call td:nth-child(2)").AllInnerTextsAsync();
        Assert.NotEmpty(models);
        Assert.All(models, m => Assert.Equal("claude-sonnet-4", m));
        Assert.NotEqual(total, await Page.InnerTextAsync("#calls-total"));
        Assert.Single(await Page.Locator("#cost-by-model tbody tr").AllAsync());

        var first = await Page.GetAttributeAsync("tr.call", "data-id");
        await Page.ClickAsync("[data-page='2']");
        await Page.WaitForFunctionAsync("() => document.querySelector('#calls-total').innerText.includes('page 2 of')");
        Assert.NotEqual(first, await Page.GetAttributeAsync("tr.call", "data-id"));
        await Page.ClickAsync("[data-page='1']");
        await Page.WaitForFunctionAsync("() => document.querySelector('#calls-total').innerText.includes('page 1 of')");
        Assert.Equal(first, await Page.GetAttributeAsync("tr.call", "data-id"));
        AssertNoCspViolations();
    }

    [Fact]
    public async Task A_row_expands_to_its_input_and_output()
    {
        await Page.GotoAsync(new Uri(ui.Open.BaseAddress, "/?range=7d&status=success").ToString());
        var row = Page.Locator("tr.call").First;
        var id = await row.GetAttributeAsync("data-id");
        await row.ClickAsync();
        var input = Page.Locator("tr.detail pre[data-field=input]");
        await input.WaitForAsync();
        using var http = ui.Open.Client();
        var call = await http.GetJsonAsync($"api/conversations/{id}");
        Assert.Equal(call["input"]!.GetValue<string>(), await input.InnerTextAsync());
        Assert.Equal(call["output"]!.GetValue<string>(), await Page.InnerTextAsync("tr.detail pre[data-field=output]"));
        await Page.Locator("tr.detail").ScrollIntoViewIfNeededAsync();
        await Page.Locator("#calls").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(RepoPaths.Screenshots, "call-expanded.png") });
        AssertNoCspViolations();
    }

    [Fact]
    public async Task A_fresh_install_shows_how_to_send_the_first_event_and_a_lost_database_shows_a_banner()
    {
        var empty = await ui.CreateDatabaseAsync($"llmmon_ui_empty_{Random.Shared.Next(100000, 999999)}");
        await using (var fresh = WebUiProcess.Create(WebUiFixture.Environment(empty)))
        {
            await fresh.StartAsync(waitReady: false);
            await Page.GotoAsync(fresh.BaseAddress.ToString());
            Assert.Contains("curl -X POST", await Page.InnerTextAsync("#empty-state"));
            await Screenshot("empty-state");
        }

        await using var lost = WebUiProcess.Create(WebUiFixture.Environment("Host=127.0.0.1;Port=1;Database=none;Username=x;Password=x;Timeout=2"));
        await lost.StartAsync(waitReady: false);
        await Page.GotoAsync(lost.BaseAddress.ToString());
        Assert.Contains("database is unreachable", await Page.InnerTextAsync("#db-banner"));
        await Screenshot("database-unreachable");
        AssertNoCspViolations();
    }

    [Fact]
    public async Task With_a_model_chosen_the_cost_by_tag_table_counts_only_that_models_calls()
    {
        await Page.GotoAsync(new Uri(ui.Open.BaseAddress, "/?range=7d&model=gpt-4o").ToString());
        var start = await Page.GetAttributeAsync("#sections-meta", "data-start");
        var end = await Page.GetAttributeAsync("#sections-meta", "data-end");
        var key = await Page.InputValueAsync("#tag-key");
        using var http = ui.Open.Client();
        var window = $"start_time={Uri.EscapeDataString(start!)}&end_time={Uri.EscapeDataString(end!)}&key={key}&limit=20";
        var filtered = await http.GetJsonAsync($"api/metrics/tags?{window}&model=gpt-4o");
        var all = await http.GetJsonAsync($"api/metrics/tags?{window}");

        var shown = await Page.Locator("#cost-by-tag tbody tr").EvaluateAllAsync<string[]>(
            "rows => rows.map(r => r.cells[0].innerText.trim() + '|' + r.cells[1].innerText.trim())");
        string Row(System.Text.Json.Nodes.JsonNode? v) =>
            v!["value"]!.GetValue<string>() + "|" + v["requests"]!.GetValue<long>().ToString("N0", CultureInfo.InvariantCulture);

        Assert.Equal(filtered["values"]!.AsArray().Select(Row), shown);
        Assert.NotEqual(all["values"]!.AsArray().Select(Row), shown);
        Assert.Contains("gpt-4o", await Page.InnerTextAsync("#cost-by-tag"));
        AssertNoCspViolations();
    }

    [Fact]
    public async Task The_dashboard_and_adminPages_work_under_their_content_security_policy()
    {
        var response = await Page.GotoAsync(new Uri(ui.Open.BaseAddress, "/?range=7d").ToString());
        Assert.Contains("script-src 'self'", await response!.HeaderValueAsync("content-security-policy"));
        await Page.WaitForFunctionAsync("() => document.querySelector('#timeseries').dataset.points > 0");
        await Page.WaitForFunctionAsync("() => !!Chart.getChart('model-pie')");
        Assert.True(await BarWidthAsync() > 0, "the tag bars get their width from the script");
        await Page.EvaluateAsync("() => window.llmMonitor.refresh()");
        Assert.True(await BarWidthAsync() > 0, "and again after a refresh");
        await Page.Locator("tr.call").First.ClickAsync();
        await Page.Locator("tr.detail pre[data-field=input]").WaitForAsync();

        await Page.GotoAsync(new Uri(ui.Open.BaseAddress, "/admin/pricing").ToString());
        await Page.GotoAsync(new Uri(ui.Open.BaseAddress, "/docs").ToString());
        await Page.Locator(".swagger-ui .info").WaitForAsync();
        await Page.GotoAsync(new Uri(ui.Open.BaseAddress, "/hangfire").ToString());
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Contains("LLM Monitor jobs", await Page.InnerTextAsync("body"));

        AssertNoCspViolations();
    }

    private Task<double> BarWidthAsync() => Page.EvaluateAsync<double>("() => document.querySelector('#cost-by-tag .bar').getBoundingClientRect().width");

    private async Task<string> Card(string id) => (await Page.InnerTextAsync($"[data-card={id}] [data-value]")).Trim();
}
