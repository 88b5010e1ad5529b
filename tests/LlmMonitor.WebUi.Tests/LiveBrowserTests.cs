using LlmMonitor.WebUi.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LlmMonitor.WebUi.Tests;

/// <summary>The dashboard's Live switch in Chromium, over the real pipeline (gateway, RabbitMQ, writer, PostgreSQL, web-ui).</summary>
public sealed class LiveBrowserTests(LiveStack stack) : BrowserTest, IClassFixture<LiveStack>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task With_live_on_a_posted_call_appears_at_the_top_of_the_table_once_and_the_cards_show_the_last_hour()
    {
        // A first call, so that the page has its cards and table (a fresh install shows the empty state).
        await using (var stream = await stack.ConnectAsync())
        {
            await stream.WaitForCallAsync(await stack.PostCallAsync(), Patience);
        }

        await Page.GotoAsync(stack.WebUi.BaseAddress.ToString());
        await Page.CheckAsync("#live");
        await Page.WaitForSelectorAsync(".refresh[data-live=on]", new PageWaitForSelectorOptions { Timeout = 10_000 });
        Assert.True(await Page.Locator(".refresh").EvaluateAsync<bool>("e => e.classList.contains('paused')"), "the 30 s refresh pauses while live");

        var id = await stack.PostCallAsync(model: "gpt-4o", status: "error");
        await Page.WaitForSelectorAsync($"#calls-table tr.call[data-id='{id}']", new PageWaitForSelectorOptions { Timeout = 10_000 });
        // The barrier for "once": a call posted after the first one was shown, shown above it.
        var marker = await stack.PostCallAsync();
        await Page.WaitForSelectorAsync($"#calls-table tr.call[data-id='{marker}']", new PageWaitForSelectorOptions { Timeout = 10_000 });
        Assert.Equal(1, await Page.Locator($"#calls-table tr.call[data-id='{id}']").CountAsync());
        Assert.Equal([marker.ToString(), id.ToString()], (await RowIdsAsync()).Take(2));
        var cells = await Page.Locator($"tr.call[data-id='{id}'] td").AllInnerTextsAsync();
        Assert.Equal(["gpt-4o", "error", "160", "831 ms"], cells.Skip(1).Take(4).Select(c => c.Trim()));

        // The cards: the last hour's overview, every 5 s (3 calls so far, all in the last hour).
        await Page.WaitForFunctionAsync("() => document.querySelector('[data-card=requests] [data-value]').textContent === '3'",
            null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        Assert.Equal("last hour · live", await Page.InnerTextAsync("[data-card=requests] .change"));
        Assert.Equal("33.3%", await Page.InnerTextAsync("[data-card=error-rate] [data-value]"));

        // The table keeps its 25 rows: 30 calls more push the older ones out.
        var batch = await stack.PostBatchAsync(30);
        await Page.WaitForFunctionAsync("ids => [...document.querySelectorAll('#calls-table tr.call')].slice(0, 25).every(r => ids.includes(r.dataset.id))",
            batch.Select(b => b.ToString()).ToArray(), new PageWaitForFunctionOptions { Timeout = 15_000 });
        Assert.Equal(25, (await RowIdsAsync()).Count);

        await Screenshot("dashboard-live");
        AssertNoCspViolations();
    }

    [Fact]
    public async Task The_live_stream_asks_for_the_tables_25_rows_and_filters_and_opens_again_when_a_filter_changes()
    {
        await using (var stream = await stack.ConnectAsync())
        {
            await stream.WaitForCallAsync(await stack.PostCallAsync(model: "gpt-4o"), Patience);
        }

        await Page.GotoAsync(stack.WebUi.BaseAddress + "?model=gpt-4o");
        var opened = Page.WaitForRequestAsync(r => r.Url.Contains("/api/live", StringComparison.Ordinal));
        await Page.CheckAsync("#live");
        Assert.EndsWith("/api/live?latest=25&model=gpt-4o", (await opened).Url);
        await Page.WaitForSelectorAsync(".refresh[data-live=on]", new PageWaitForSelectorOptions { Timeout = 10_000 });

        var id = await stack.PostCallAsync(model: "gpt-4o");
        await Page.WaitForSelectorAsync($"#calls-table tr.call[data-id='{id}']", new PageWaitForSelectorOptions { Timeout = 10_000 });

        // The table's status filter: the stream opens again with it too, and a matching call arrives.
        var reopened = Page.WaitForRequestAsync(r => r.Url.Contains("/api/live", StringComparison.Ordinal));
        await Page.SelectOptionAsync("select[name=status]", "error");
        Assert.EndsWith("/api/live?latest=25&model=gpt-4o&status=error", (await reopened).Url);
        await Page.WaitForSelectorAsync(".refresh[data-live=on]", new PageWaitForSelectorOptions { Timeout = 10_000 });
        var failed = await stack.PostCallAsync(model: "gpt-4o", status: "error");
        await Page.WaitForSelectorAsync($"#calls-table tr.call[data-id='{failed}']", new PageWaitForSelectorOptions { Timeout = 10_000 });
        Assert.All(await Page.Locator("#calls-table tr.call .pill").AllInnerTextsAsync(), p => Assert.Equal("error", p.Trim()));
        AssertNoCspViolations();
    }

    private async Task<IReadOnlyList<string>> RowIdsAsync() =>
        await Page.Locator("#calls-table tr.call").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");
}
