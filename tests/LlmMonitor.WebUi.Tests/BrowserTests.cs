using System.Globalization;
using LlmMonitor.WebUi.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LlmMonitor.WebUi.Tests;

/// <summary>The dashboard in a real browser on the seeded stack; screenshots go to TestResults/screenshots.</summary>
[Collection(WebUiCollection.Name)]
public sealed class BrowserTests(WebUiFixture ui) : IAsyncLifetime
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private IPage _page = null!;
    private readonly List<string> _cspViolations = [];

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await Browser.LaunchAsync();
        _page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 1000 } });
        // Chromium reports a blocked script or style on the console; the event catches what it might word differently.
        await _page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`))");
        _page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                _cspViolations.Add($"{_page.Url}: {message.Text}");
            }
        };
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    private Task Screenshot(string name) =>
        _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepoPaths.Screenshots, name + ".png"), FullPage = true });

    [Fact]
    public async Task The_cards_show_the_apis_numbers()
    {
        await _page.GotoAsync(new Uri(ui.Open.BaseAddress, "/?range=7d").ToString());
        var start = await _page.GetAttributeAsync("#sections-meta", "data-start");
        var end = await _page.GetAttributeAsync("#sections-meta", "data-end");
        using var http = ui.Open.Client();
        var api = await http.GetJsonAsync($"api/metrics/overview?start_time={Uri.EscapeDataString(start!)}&end_time={Uri.EscapeDataString(end!)}");
        Assert.Equal(api["total_requests"]!.GetValue<long>().ToString("N0", CultureInfo.InvariantCulture), await Card("requests"));
        Assert.Equal("$" + api["total_cost"]!.GetValue<decimal>().ToString("N2", CultureInfo.InvariantCulture), await Card("cost"));
        Assert.Equal(api["error_rate"]!.GetValue<double>().ToString("0.00", CultureInfo.InvariantCulture) + "%", await Card("error-rate"));
        var p95 = api["p95_latency_ms"]!.GetValue<double>();
        Assert.Equal(p95 >= 1000 ? (p95 / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s" : p95.ToString("0", CultureInfo.InvariantCulture) + " ms", await Card("p95-latency"));
        Assert.Contains("mystery-model", await _page.InnerTextAsync("#unpriced-notice"));
        await _page.WaitForFunctionAsync("() => document.querySelector('#timeseries').dataset.points > 0");
        await Screenshot("dashboard");
        await _page.SetViewportSizeAsync(390, 844);
        await Screenshot("dashboard-phone");
        AssertNoCspViolations();
    }

    [Fact]
    public async Task Switching_the_chart_metric_and_interval_redraws_it()
    {
        await _page.GotoAsync(new Uri(ui.Open.BaseAddress, "/?range=7d").ToString());
        await _page.WaitForFunctionAsync("() => document.querySelector('#timeseries').dataset.metric === 'requests'");
        var hourly = int.Parse((await _page.GetAttributeAsync("#timeseries", "data-points"))!, CultureInfo.InvariantCulture);
        await _page.ClickAsync("[data-metric=cost]");
        await _page.WaitForFunctionAsync("() => document.querySelector('#timeseries').dataset.metric === 'cost'");
        await _page.ClickAsync("[data-metric=latency_p95]");
        await _page.WaitForFunctionAsync("() => document.querySelector('#timeseries').dataset.metric === 'latency_p95'");
        await _page.ClickAsync("[data-interval='1d']");
        await _page.WaitForFunctionAsync("() => document.querySelector('#timeseries').dataset.interval === '1d'");
        var daily = int.Parse((await _page.GetAttributeAsync("#timeseries", "data-points"))!, CultureInfo.InvariantCulture);
        Assert.True(hourly >= 24 * 7 && daily is >= 7 and <= 9, $"{hourly} hourly, {daily} daily points");
        Assert.Contains("metric=latency_p95", _page.Url);
        await Screenshot("chart-latency-daily");
        AssertNoCspViolations();
    }

    [Fact]
    public async Task The_model_filter_narrows_the_table_and_paging_works()
    {
        await _page.GotoAsync(new Uri(ui.Open.BaseAddress, "/?range=7d").ToString());
        var total = await _page.InnerTextAsync("#calls-total");
        await _page.SelectOptionAsync("#model-filter", "claude-sonnet-4");
        await _page.WaitForFunctionAsync("() => new URLSearchParams(location.search).get('model') === 'claude-sonnet-4' && !document.querySelector('.refresh').classList.contains('loading')");
        await _page.WaitForSelectorAsync("tr.call");
        var models = await _page.Locator("tr.call td:nth-child(2)").AllInnerTextsAsync();
        Assert.NotEmpty(models);
        Assert.All(models, m => Assert.Equal("claude-sonnet-4", m));
        Assert.NotEqual(total, await _page.InnerTextAsync("#calls-total"));
        Assert.Single(await _page.Locator("#cost-by-model tbody tr").AllAsync());

        var first = await _page.GetAttributeAsync("tr.call", "data-id");
        await _page.ClickAsync("[data-page='2']");
        await _page.WaitForFunctionAsync("() => document.querySelector('#calls-total').innerText.includes('page 2 of')");
        Assert.NotEqual(first, await _page.GetAttributeAsync("tr.call", "data-id"));
        await _page.ClickAsync("[data-page='1']");
        await _page.WaitForFunctionAsync("() => document.querySelector('#calls-total').innerText.includes('page 1 of')");
        Assert.Equal(first, await _page.GetAttributeAsync("tr.call", "data-id"));
        AssertNoCspViolations();
    }

    [Fact]
    public async Task A_row_expands_to_its_input_and_output()
    {
        await _page.GotoAsync(new Uri(ui.Open.BaseAddress, "/?range=7d&status=success").ToString());
        var row = _page.Locator("tr.call").First;
        var id = await row.GetAttributeAsync("data-id");
        await row.ClickAsync();
        var input = _page.Locator("tr.detail pre[data-field=input]");
        await input.WaitForAsync();
        using var http = ui.Open.Client();
        var call = await http.GetJsonAsync($"api/conversations/{id}");
        Assert.Equal(call["input"]!.GetValue<string>(), await input.InnerTextAsync());
        Assert.Equal(call["output"]!.GetValue<string>(), await _page.InnerTextAsync("tr.detail pre[data-field=output]"));
        await _page.Locator("tr.detail").ScrollIntoViewIfNeededAsync();
        await _page.Locator("#calls").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(RepoPaths.Screenshots, "call-expanded.png") });
        AssertNoCspViolations();
    }

    [Fact]
    public async Task A_fresh_install_shows_how_to_send_the_first_event_and_a_lost_database_shows_a_banner()
    {
        var empty = await ui.CreateDatabaseAsync($"llmmon_ui_empty_{Random.Shared.Next(100000, 999999)}");
        await using (var fresh = WebUiProcess.Create(WebUiFixture.Environment(empty)))
        {
            await fresh.StartAsync(waitReady: false);
            await _page.GotoAsync(fresh.BaseAddress.ToString());
            Assert.Contains("curl -X POST", await _page.InnerTextAsync("#empty-state"));
            await Screenshot("empty-state");
        }

        await using var lost = WebUiProcess.Create(WebUiFixture.Environment("Host=127.0.0.1;Port=1;Database=none;Username=x;Password=x;Timeout=2"));
        await lost.StartAsync(waitReady: false);
        await _page.GotoAsync(lost.BaseAddress.ToString());
        Assert.Contains("database is unreachable", await _page.InnerTextAsync("#db-banner"));
        await Screenshot("database-unreachable");
        AssertNoCspViolations();
    }

    [Fact]
    public async Task The_dashboard_and_admin_pages_work_under_their_content_security_policy()
    {
        var response = await _page.GotoAsync(new Uri(ui.Open.BaseAddress, "/?range=7d").ToString());
        Assert.Contains("script-src 'self'", await response!.HeaderValueAsync("content-security-policy"));
        await _page.WaitForFunctionAsync("() => document.querySelector('#timeseries').dataset.points > 0");
        await _page.WaitForFunctionAsync("() => !!Chart.getChart('model-pie')");
        Assert.True(await BarWidthAsync() > 0, "the tag bars get their width from the script");
        await _page.EvaluateAsync("() => window.llmMonitor.refresh()");
        Assert.True(await BarWidthAsync() > 0, "and again after a refresh");
        await _page.Locator("tr.call").First.ClickAsync();
        await _page.Locator("tr.detail pre[data-field=input]").WaitForAsync();

        await _page.GotoAsync(new Uri(ui.Open.BaseAddress, "/admin/pricing").ToString());
        await _page.GotoAsync(new Uri(ui.Open.BaseAddress, "/docs").ToString());
        await _page.Locator(".swagger-ui .info").WaitForAsync();
        await _page.GotoAsync(new Uri(ui.Open.BaseAddress, "/hangfire").ToString());
        await _page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Contains("LLM Monitor jobs", await _page.InnerTextAsync("body"));

        AssertNoCspViolations();
    }

    private void AssertNoCspViolations() => Assert.True(_cspViolations.Count == 0, string.Join("\n", _cspViolations));

    private Task<double> BarWidthAsync() => _page.EvaluateAsync<double>("() => document.querySelector('#cost-by-tag .bar').getBoundingClientRect().width");

    private async Task<string> Card(string id) => (await _page.InnerTextAsync($"[data-card={id}] [data-value]")).Trim();
}
