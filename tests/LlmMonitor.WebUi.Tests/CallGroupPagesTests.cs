using System.Net;
using LlmMonitor.WebUi.Models.CallGroups;
using LlmMonitor.WebUi.Tests.Infrastructure;

namespace LlmMonitor.WebUi.Tests;

/// <summary>The sessions, trace and users pages over plain HTTP: unknown and hostile ids, bad parameters, a lost database.</summary>
[Collection(WebUiCollection.Name)]
public sealed class CallGroupPagesTests(WebUiFixture ui)
{
    private readonly HttpClient _http = ui.Open.Client();

    [Theory]
    [InlineData("/sessions/no-such-session", "No session with this id")]
    [InlineData("/sessions/no-such/session%20at%20all", "No session with this id")]
    [InlineData("/traces/0123456789abcdef0123456789abcdef", "No trace with this id")]
    [InlineData("/calls/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "No call with this id")]
    public async Task An_unknown_id_is_a_404_page(string path, string text)
    {
        var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(text, await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string> HostilePaths => new()
    {
        "/sessions/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/sessions/%3Cscript%3Ealert(1)%3C/script%3E",
        "/sessions/..%2F..%2Fetc%2Fpasswd",
        "/sessions/%2E%2E/%2E%2E/etc/passwd",
        "/sessions/" + new string('x', 201),
        "/sessions/" + new string('x', 7000),
        "/sessions/" + new string('x', 100_000),
        "/sessions/%00",
        "/sessions/%ED%A0%80",
        "/traces/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/traces/..%2F..%2Fetc",
        "/traces/" + new string('a', 65),
        "/traces/" + new string('a', 100_000),
        "/calls/%3Cscript%3E",
    };

    [Theory]
    [MemberData(nameof(HostilePaths))]
    public async Task A_hostile_id_is_rejected_or_shown_escaped_never_a_500(string path)
    {
        var response = await _http.GetAsync(new Uri(ui.Open.BaseAddress, path));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is 400 or 404 or 414 or 431, $"{path}: {(int)response.StatusCode}");
        Assert.DoesNotContain("<script>alert", body, StringComparison.OrdinalIgnoreCase);
        // What still names a session or a trace once the client has resolved dot segments reaches the pages: their 404 page.
        var sent = response.RequestMessage!.RequestUri!.AbsolutePath;
        if (response.StatusCode == HttpStatusCode.NotFound && (sent.StartsWith("/sessions/", StringComparison.Ordinal) || sent.StartsWith("/traces/", StringComparison.Ordinal)))
        {
            Assert.Contains("with this id", body, StringComparison.Ordinal);
        }

        if (response.StatusCode == HttpStatusCode.NotFound && body.Contains("alert(1)", StringComparison.Ordinal))
        {
            Assert.Contains("&lt;script&gt;alert(1)", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_stored_session_id_that_is_markup_is_listed_and_shown_escaped()
    {
        var list = await _http.GetStringAsync($"/sessions?range=1h&user_id={CallGroupSeed.User}");
        Assert.DoesNotContain("<script>alert", list, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;", list, StringComparison.Ordinal);
        Assert.Contains($"href=\"{CallGroupLinks.Session(CallGroupSeed.HostileSessionId).Replace("&", "&amp;", StringComparison.Ordinal)}\"", list, StringComparison.Ordinal);

        var response = await _http.GetAsync(CallGroupLinks.Session(CallGroupSeed.HostileSessionId));
        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/sessions?range=forever&page=-3&from=yesterday&to=&user_id=%20&model=")]
    [InlineData("/sessions?range=custom&from=2026-01-02T00:00&to=2026-01-01T00:00")]
    [InlineData("/sessions?page=abc&page=2")]
    [InlineData("/sessions?page=2147483647")]
    [InlineData("/users?range=%3Cscript%3E&page=0")]
    [InlineData("/users?page=99999999&page_size=0")]
    [InlineData("/users?page_size=100000")]
    public async Task Bad_list_parameters_fall_back_to_the_defaults(string path)
    {
        var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<script>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pages_ask_for_the_password_when_one_is_set()
    {
        using var http = ui.Protected.Client();
        foreach (var path in new[] { "/sessions", "/users", "/traces/" + CallGroupSeed.TraceId, "/sessions/" + Uri.EscapeDataString("x") })
        {
            var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/login?ReturnUrl=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_the_database_the_pages_show_the_banner_not_an_error()
    {
        await using var lost = WebUiProcess.Create(WebUiFixture.Environment("Host=127.0.0.1;Port=1;Database=none;Username=x;Password=x;Timeout=2"));
        await lost.StartAsync(waitReady: false);
        using var http = lost.Client();
        foreach (var path in new[] { "/sessions", "/users?range=7d", "/sessions/" + Uri.EscapeDataString(CallGroupSeed.SessionId), "/traces/" + CallGroupSeed.TraceId, "/calls/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b" })
        {
            var response = await http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.Contains("The database is unreachable", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
