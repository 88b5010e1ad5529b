using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using LlmMonitor.WebUi.Tests.Infrastructure;

namespace LlmMonitor.WebUi.Tests;

/// <summary>ADMIN_PASSWORD as the README describes it: open without it; with it, a login page and cookie for browsers, HTTP Basic for API clients.</summary>
[Collection(WebUiCollection.Name)]
public sealed partial class AuthTests(WebUiFixture ui)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/api/metrics/overview")]
    [InlineData("/api/conversations")]
    [InlineData("/api/pricing")]
    public async Task Without_a_password_everything_is_open(string path)
    {
        using var http = ui.Open.Client();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync("/login")).StatusCode);
    }

    [Theory]
    [InlineData("/api/metrics/overview")]
    [InlineData("/api/metrics/timeseries")]
    [InlineData("/api/conversations")]
    [InlineData("/api/export?format=csv")]
    [InlineData("/api/pricing")]
    public async Task With_a_password_the_api_wants_basic_auth(string path)
    {
        using var http = ui.Protected.Client();
        var anonymous = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString());

        http.DefaultRequestHeaders.Authorization = Basic("admin", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(path)).StatusCode);
        http.DefaultRequestHeaders.Authorization = Basic("root", WebUiFixture.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(path)).StatusCode);
        http.DefaultRequestHeaders.Authorization = Basic("admin", WebUiFixture.Password);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task With_a_password_browsers_sign_in_on_the_login_page_and_keep_a_cookie()
    {
        var cookies = new CookieContainer();
        using var http = ui.Protected.Client(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies });
        var page = await http.GetAsync("/?range=7d");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery.TrimStart('/').Insert(0, "/"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/css/site.css")).StatusCode);

        var form = await http.GetStringAsync("/login");
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        var wrong = await http.PostAsync("/login", Form(token, "nope"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("not right", await wrong.Content.ReadAsStringAsync());

        var signIn = await http.PostAsync("/login", Form(token, WebUiFixture.Password));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/?range=7d", signIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/?range=7d")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/metrics/overview")).StatusCode); // the dashboard's own fetches
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/dashboard/sections")).StatusCode);
    }

    private static FormUrlEncodedContent Form(string token, string password) => new(new Dictionary<string, string>
    {
        ["__RequestVerificationToken"] = token,
        ["Password"] = password,
        ["ReturnUrl"] = "/?range=7d",
    });

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
