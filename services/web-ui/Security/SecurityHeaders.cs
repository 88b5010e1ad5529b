using LlmMonitor.WebUi.Admin;

namespace LlmMonitor.WebUi.Security;

/// <summary>
/// Headers on every response of the web-ui (dashboard, API, /docs, /hangfire). Scripts come only from the web-ui
/// itself, never inline, and no page may be framed. The web-ui's own pages allow no inline style either (scripts
/// may still set styles through the DOM, as Chart.js and the dashboard do). The two bundled third-party UIs,
/// Swagger UI at /docs and the Hangfire dashboard, insert a style element from their scripts, so they may have
/// inline styles (which run no code); their scripts are held to the same rule.
/// </summary>
public static class SecurityHeaders
{
    public const string PagePolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " + CommonDirectives;

    public const string ThirdPartyUiPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " + CommonDirectives;

    private const string CommonDirectives =
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Call first, so that every later middleware's answer carries them (error pages included).</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        // Chosen now: the Hangfire dashboard moves its prefix from Path to PathBase while it runs.
        var policy = IsThirdPartyUi(http.Request.Path) ? ThirdPartyUiPolicy : PagePolicy;
        // Set on starting rather than now: the exception handler clears the headers of a failed response.
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY"; // frame-ancestors for browsers that predate it
            headers["Referrer-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(http);
    });

    private static bool IsThirdPartyUi(PathString path) =>
        path.StartsWithSegments("/docs") || path.StartsWithSegments(PricingAdmin.DashboardPath);
}
