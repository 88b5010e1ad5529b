using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using LlmMonitor.WebUi.Tests.Infrastructure;

namespace LlmMonitor.WebUi.Tests;

/// <summary>
/// 5 failed sign-ins (form or Basic) from one address within the window: further attempts get 429 with Retry-After,
/// the right password included, until the window ends. The window is 5 minutes; this web-ui's is a few seconds.
/// </summary>
[Collection(WebUiCollection.Name)]
public sealed partial class SignInThrottleTests(WebUiFixture ui)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task The_sixth_wrong_password_gets_429_and_the_right_one_waits_for_the_window()
    {
        await using var web = WebUiProcess.Create(new Dictionary<string, string>(WebUiFixture.Environment(ui.ConnectionString, WebUiFixture.Password))
        {
            ["SignInThrottle__Window"] = Window.ToString(),
        });
        await web.StartAsync(waitReady: false);
        using var browser = web.Client(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });
        var token = AntiforgeryToken().Match(await browser.GetStringAsync("/login")).Groups[1].Value;

        var started = DateTime.UtcNow; // the address's window opens with its first sign-in attempt
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Api(web, WebUiFixture.Password)).StatusCode); // successes do not count
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await Api(web, "guess-" + i)).StatusCode);
        }

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsync("/login", Form(token, "guess"))).StatusCode);
        }

        var sixth = await Api(web, "guess-6");
        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        Assert.InRange(sixth.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), Window);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Api(web, WebUiFixture.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.PostAsync("/login", Form(token, WebUiFixture.Password))).StatusCode);
        Assert.True(DateTime.UtcNow - started < Window, "the attempts took longer than the window; the test cannot tell");

        await Task.Delay(Window + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await Api(web, WebUiFixture.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/login", Form(token, WebUiFixture.Password))).StatusCode);
    }

    private static async Task<HttpResponseMessage> Api(IntegrationTests.Infrastructure.ServiceProcess web, string password)
    {
        using var http = web.Client();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + password)));
        return await http.GetAsync("/api/pricing");
    }

    private static FormUrlEncodedContent Form(string token, string password) => new(new Dictionary<string, string>
    {
        ["__RequestVerificationToken"] = token,
        ["Password"] = password,
    });

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
