using System.Globalization;
using System.Text.Json.Nodes;
using LlmMonitor.WebUi.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LlmMonitor.WebUi.Tests;

/// <summary>The sessions, trace and users pages in Chromium: what they show equals the JSON API, under the page CSP.</summary>
[Collection(WebUiCollection.Name)]
public sealed class CallGroupPagesBrowserTests(WebUiFixture ui) : BrowserTest
{
    private readonly HttpClient _http = ui.Open.Client();

    [Fact]
    public async Task The_sessions_page_lists_the_sessions_the_api_returns_for_its_window()
    {
        await Page.GotoAsync(Url("/sessions?range=7d"));
        var api = await _http.GetJsonAsync($"api/sessions?page_size=50&{await WindowQueryAsync()}");

        var rows = await Page.Locator("#sessions-table tbody tr").EvaluateAllAsync<string[][]>(
            "rows => rows.map(r => [r.dataset.session, r.querySelector('[data-field=calls]').innerText, r.querySelector('[data-field=cost]').innerText])");
        var expected = api["items"]!.AsArray().Select(i => new[]
        {
            i!["session_id"]!.GetValue<string>(), i["calls"]!.GetValue<long>().ToString("N0", CultureInfo.InvariantCulture), Money(i["cost_usd"]!.GetValue<decimal>()),
        }).ToArray();
        Assert.True(expected.Length > 10, $"only {expected.Length} sessions");
        Assert.Equal(expected, rows);
        Assert.StartsWith(api["total"]!.GetValue<long>().ToString("N0", CultureInfo.InvariantCulture) + " sessions", await Page.InnerTextAsync("#list-total"));
        await Screenshot("sessions");

        // Paged by ten, the second page is the API's second page.
        await Page.GotoAsync(Url("/sessions?range=7d&page_size=10"));
        await NavigateByAsync(() => Page.ClickAsync("a[rel=next]"), u => u.Contains("page=2", StringComparison.Ordinal) && u.Contains("page_size=10", StringComparison.Ordinal));
        var second = await _http.GetJsonAsync($"api/sessions?page=2&page_size=10&{await WindowQueryAsync()}");
        Assert.Equal(10, second["items"]!.AsArray().Count);
        Assert.Equal(second["items"]!.AsArray().Select(i => i!["session_id"]!.GetValue<string>()),
            await Page.Locator("#sessions-table tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.session)"));
        AssertNoCspViolations();
    }

    [Fact]
    public async Task The_user_and_model_filters_and_the_range_narrow_the_sessions_like_the_api()
    {
        await Page.GotoAsync(Url("/sessions?range=24h"));
        await Page.FillAsync("input[name=user_id]", CallGroupSeed.User);
        await NavigateByAsync(() => Page.ClickAsync("#list-controls button[type=submit]"), u => u.Contains("user_id=u-tree", StringComparison.Ordinal));
        var api = await _http.GetJsonAsync($"api/sessions?user_id={CallGroupSeed.User}&{await WindowQueryAsync()}");
        var ids = await Page.Locator("#sessions-table tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.session)");
        Assert.Equal(api["items"]!.AsArray().Select(i => i!["session_id"]!.GetValue<string>()), ids);
        Assert.Contains(CallGroupSeed.SessionId, ids);
        Assert.Contains(CallGroupSeed.HostileSessionId, ids);

        await NavigateByAsync(() => Page.SelectOptionAsync("#model-filter", "claude-sonnet-4"), u => u.Contains("model=claude-sonnet-4", StringComparison.Ordinal));
        Assert.Equal([CallGroupSeed.SessionId], await Page.Locator("#sessions-table tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.session)"));

        await NavigateByAsync(() => Page.ClickAsync("#list-controls label:has-text('1h')"), u => u.Contains("range=1h", StringComparison.Ordinal) && u.Contains("user_id=u-tree", StringComparison.Ordinal));
        Assert.Equal("1h", await Page.InputValueAsync("#list-controls input[name=range]:checked"));
        AssertNoCspViolations();
    }

    [Fact]
    public async Task Clicking_a_session_opens_its_timeline_with_a_bar_per_call_and_the_error_marked()
    {
        await Page.GotoAsync(Url($"/sessions?range=1h&user_id={CallGroupSeed.User}"));
        await NavigateByAsync(() => Page.Locator("a.session-link", new PageLocatorOptions { HasText = CallGroupSeed.SessionId }).ClickAsync(), u => u.Contains("/sessions/ui-tests/session%20one", StringComparison.Ordinal));
        var api = await _http.GetJsonAsync("api/sessions/" + string.Join('/', CallGroupSeed.SessionId.Split('/').Select(Uri.EscapeDataString)));
        var calls = api["calls"]!.AsArray();

        Assert.Equal(CallGroupSeed.SessionId, await Page.InnerTextAsync("#session-id"));
        Assert.Equal(CallGroupSeed.SessionCalls, calls.Count);
        Assert.Equal(calls.Count, await Page.Locator("svg.track rect.call-bar").CountAsync());
        Assert.Equal(calls.Select(c => c!["event_id"]!.GetValue<string>()),
            await Page.Locator("tr.session-call").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)"));
        var errors = calls.Where(c => c!["status"]!.GetValue<string>() == "error").Select(c => c!["event_id"]!.GetValue<string>()).ToArray();
        Assert.Single(errors);
        Assert.Equal(errors, await Page.Locator("tr.session-call:has(rect.call-bar.error)").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)"));
        Assert.Contains("error", await Page.InnerTextAsync($"tr.session-call[data-id='{errors[0]}'] .pill"));
        Assert.Equal(api["totals"]!["calls"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture), (await Page.InnerTextAsync("[data-card=calls] [data-value]")).Trim());
        Assert.Equal(Money(api["totals"]!["cost_usd"]!.GetValue<decimal>()), (await Page.InnerTextAsync("[data-card=cost] [data-value]")).Trim());

        // Bars sit at their time and are as wide as their latency: the 4 s root span is the widest, and starts first.
        var bars = await Page.Locator("svg.track rect.call-bar").EvaluateAllAsync<double[][]>(
            "rects => rects.map(r => { const b = r.getBoundingClientRect(); return [b.left, b.width]; })");
        Assert.Equal(bars.Min(b => b[0]), bars[0][0]);
        Assert.Equal(bars.Max(b => b[1]), bars[0][1]);
        Assert.True(bars.Skip(1).All(b => b[0] > bars[0][0]), "later calls start further right");

        // A call expands to its details in place.
        await Page.Locator($"tr.session-call[data-id='{errors[0]}'] a[data-detail]").ClickAsync();
        await Page.Locator("tr.call-detail pre.error-text").WaitForAsync();
        Assert.Contains("tool failed", await Page.InnerTextAsync("tr.call-detail pre.error-text"));
        await Screenshot("session-timeline");

        // And a call links to its trace.
        await NavigateByAsync(() => Page.Locator($"tr.session-call[data-id='{errors[0]}'] a.trace-link").ClickAsync(), u => u.EndsWith("/traces/" + CallGroupSeed.TraceId, StringComparison.Ordinal));
        Assert.Equal(CallGroupSeed.TraceId, await Page.InnerTextAsync("#trace-id"));
        AssertNoCspViolations();
    }

    [Fact]
    public async Task The_trace_page_shows_each_span_once_nested_under_its_parent()
    {
        await Page.GotoAsync(Url("/traces/" + CallGroupSeed.TraceId));
        var api = await _http.GetJsonAsync("api/traces/" + CallGroupSeed.TraceId);

        // Display order and depth, as the seed's tree says (an orphan and a cycle become roots; a repeated span id is shown twice, once per call).
        var nodes = await Page.Locator("li.span-node").EvaluateAllAsync<string[][]>(
            "lis => lis.map(li => [li.dataset.span, li.dataset.depth, li.dataset.id])");
        Assert.Equal(CallGroupSeed.Tree.Select(n => $"{n.Span}@{n.Depth}"), nodes.Select(n => $"{n[0]}@{n[1]}"));
        Assert.Equal(api["spans"]!.AsArray().Select(s => s!["event_id"]!.GetValue<string>()).Order(), nodes.Select(n => n[2]).Order());

        // The DOM nests: a span's list item sits inside its parent's, one level deeper; roots sit in no span.
        var structure = await Page.Locator("li.span-node").EvaluateAllAsync<string[]>("""
            lis => lis.map(li => {
              const up = li.parentElement.closest('li.span-node');
              return up ? `${li.dataset.span}<${up.dataset.span}:${Number(up.dataset.depth) + 1 === Number(li.dataset.depth)}` : `${li.dataset.span}<root`;
            })
            """);
        Assert.Equal(["root<root", "plan<root:true", "tool<plan:true", "late<plan:true", "answer<root:true", "plan<root:true", "orphan<root", "cyc-a<root", "cyc-b<cyc-a:true"], structure);
        var indent = await Page.Locator("li.span-node[data-span=tool] > .node-line").EvaluateAsync<double>("e => e.getBoundingClientRect().left")
            - await Page.Locator("li.span-node[data-span=root] > .node-line").EvaluateAsync<double>("e => e.getBoundingClientRect().left");
        Assert.True(indent > 20, $"a grandchild is indented {indent}px");
        Assert.Equal(["tool"], await Page.Locator("li.span-node.error").EvaluateAllAsync<string[]>("lis => lis.map(li => li.dataset.span)"));
        Assert.Equal(api["totals"]!["calls"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture), (await Page.InnerTextAsync("[data-card=calls] [data-value]")).Trim());

        await Page.Locator("li.span-node[data-span=tool] > .node-line a[data-detail]").ClickAsync();
        await Page.Locator("li.span-node[data-span=tool] .call-detail pre.error-text").WaitForAsync();
        await Screenshot("trace-tree");
        AssertNoCspViolations();
    }

    [Fact]
    public async Task The_users_page_orders_users_as_the_api_does_and_links_to_their_sessions()
    {
        await Page.GotoAsync(Url("/users?range=7d"));
        var api = await _http.GetJsonAsync($"api/users?page_size=50&{await WindowQueryAsync()}");

        var users = await Page.Locator("#users-table tbody tr").EvaluateAllAsync<string[][]>(
            "rows => rows.map(r => [r.dataset.user, r.querySelector('[data-field=cost]').innerText])");
        Assert.Equal(api["items"]!.AsArray().Select(i => new[] { i!["user_id"]!.GetValue<string>(), Money(i["cost_usd"]!.GetValue<decimal>()) }), users);
        Assert.Contains(CallGroupSeed.User, users.Select(u => u[0]));
        await Screenshot("users");

        await NavigateByAsync(() => Page.Locator($"#users-table tr[data-user='{CallGroupSeed.User}'] a.user-link").ClickAsync(), u => u.Contains("/sessions?", StringComparison.Ordinal) && u.Contains("user_id=u-tree", StringComparison.Ordinal) && u.Contains("range=7d", StringComparison.Ordinal));
        Assert.Contains(CallGroupSeed.SessionId, await Page.Locator("#sessions-table tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.session)"));
        AssertNoCspViolations();
    }

    [Theory]
    [InlineData("session-link", "/sessions/", "#session-id", "session_id")]
    [InlineData("trace-link", "/traces/", "#trace-id", "trace_id")]
    public async Task A_recent_calls_link_opens_the_calls_session_or_trace(string link, string path, string heading, string field)
    {
        await Page.GotoAsync(Url("/?range=24h"));
        var row = Page.Locator($"tr.call:has(a.{link})").First;
        var id = await row.GetAttributeAsync("data-id");
        var call = await _http.GetJsonAsync($"api/conversations/{id}");
        await NavigateByAsync(() => row.Locator($"a.{link}").ClickAsync(), u => new Uri(u).AbsolutePath.StartsWith(path, StringComparison.Ordinal));
        Assert.Equal(call[field]!.GetValue<string>(), await Page.InnerTextAsync(heading));

        // The expanded details link there too.
        await Page.GotoAsync(Url("/?range=24h"));
        await Page.Locator($"tr.call[data-id='{id}'] td").First.ClickAsync();
        await NavigateByAsync(() => Page.Locator($"tr.detail a.{link}").ClickAsync(), u => new Uri(u).AbsolutePath.StartsWith(path, StringComparison.Ordinal));
        Assert.Equal(call[field]!.GetValue<string>(), await Page.InnerTextAsync(heading));
        AssertNoCspViolations();
    }

    private string Url(string path) => new Uri(ui.Open.BaseAddress, path).ToString();

    /// <summary>The window the page was rendered for, as read-API parameters.</summary>
    private async Task<string> WindowQueryAsync()
    {
        var start = await Page.GetAttributeAsync("#list-window", "data-start");
        var end = await Page.GetAttributeAsync("#list-window", "data-end");
        return $"start_time={Uri.EscapeDataString(start!)}&end_time={Uri.EscapeDataString(end!)}";
    }

    private static string Money(decimal usd) => LlmMonitor.WebUi.Models.Format.Money(usd);
}
