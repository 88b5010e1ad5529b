using Microsoft.AspNetCore.Authorization;

namespace LlmMonitor.WebUi.Auth;

/// <summary>
/// The one policy of every admin surface (pricing edits, alert and budget edits, /hangfire): when
/// ADMIN_PASSWORD is set, the signed-in admin (cookie or HTTP Basic, the web-ui's own schemes); when none is set,
/// only a <see cref="LocalRequest"/>.
/// </summary>
public static class AdminOrLocal
{
    public const string Policy = "admin-or-local";

    public static void AddPolicy(AuthorizationOptions options) => options.AddPolicy(Policy, p => p.RequireAssertion(ctx =>
    {
        var http = (HttpContext)ctx.Resource!;
        return http.RequestServices.GetRequiredService<AdminCredentials>().Required
            ? ctx.User.Identity?.IsAuthenticated == true
            : LocalRequest.IsLocal(http);
    }));
}
