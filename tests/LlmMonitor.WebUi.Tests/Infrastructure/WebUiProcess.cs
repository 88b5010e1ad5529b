using LlmMonitor.IntegrationTests.Infrastructure;

namespace LlmMonitor.WebUi.Tests.Infrastructure;

/// <summary>The web-ui as a real process on a free port, as it runs in production (the integration tests' ServiceProcess).</summary>
public static class WebUiProcess
{
    public static ServiceProcess Create(IReadOnlyDictionary<string, string> environment) =>
        new("web-ui", "LlmMonitor.WebUi", new Dictionary<string, string>(environment)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
        });

    /// <summary>Redirects are not followed, so that tests see a login redirect itself.</summary>
    public static HttpClient Client(this ServiceProcess webUi, HttpMessageHandler? handler = null) =>
        new(handler ?? new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = webUi.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
}
