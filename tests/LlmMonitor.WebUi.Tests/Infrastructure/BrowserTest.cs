using Microsoft.Playwright;

namespace LlmMonitor.WebUi.Tests.Infrastructure;

/// <summary>
/// A browser test's page in Chromium (see <see cref="Browser"/>), collecting every Content-Security-Policy violation;
/// screenshots go to TestResults/screenshots.
/// </summary>
public abstract class BrowserTest : IAsyncLifetime
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private readonly List<string> _cspViolations = [];

    protected IPage Page { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await Browser.LaunchAsync();
        Page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 1000 } });
        // Chromium reports a blocked script or style on the console; the event catches what it might word differently.
        await Page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`))");
        Page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                _cspViolations.Add($"{Page.Url}: {message.Text}");
            }
        };
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    /// <summary>
    /// Runs what navigates and waits until the page has loaded a URL that <paramref name="url"/> accepts. The wait starts
    /// before the action: WaitForURLAsync reads the page's URL and only then starts listening, so called after the action
    /// it never sees a navigation that commits in between (a 30 s timeout in CI).
    /// </summary>
    protected async Task NavigateByAsync(Func<Task> action, Func<string, bool> url)
    {
        Assert.False(url(Page.Url), $"the page is already at {Page.Url}, so nothing would be waited for");
        var navigated = Page.WaitForURLAsync(url);
        await action();
        await navigated;
    }

    protected Task Screenshot(string name) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepoPaths.Screenshots, name + ".png"), FullPage = true });

    protected void AssertNoCspViolations() => Assert.True(_cspViolations.Count == 0, string.Join("\n", _cspViolations));
}
