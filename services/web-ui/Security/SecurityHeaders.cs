namespace LlmMonitor.WebUi.Security;

/// <summary>
/// Headers on every response of the web-ui (dashboard, API, /docs, /hangfire). Scripts and styles come only from
/// the web-ui itself: no inline script, no style attributes in markup (scripts may still set styles through the DOM,
/// which Chart.js and the dashboard do). No page may be framed.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Call first, so that every later middleware's answer carries them (error pages included).</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        // On starting rather than now: the exception handler clears the headers of a failed response.
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY"; // frame-ancestors for browsers that predate it
            headers["Referrer-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(http);
    });
}
