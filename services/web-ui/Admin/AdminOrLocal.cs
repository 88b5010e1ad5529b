using LlmMonitor.WebUi.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace LlmMonitor.WebUi.Admin;

/// <summary>
/// The one policy of every admin surface (pricing edits, /hangfire, and any later alert or budget edits): when
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

/// <summary>
/// Without ADMIN_PASSWORD there is no one to sign in as, so a refused request gets 403 instead of a login challenge.
/// Everything else is the framework's default handling.
/// </summary>
public sealed class ForbidWithoutPassword(AdminCredentials admin) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Challenged && !admin.Required)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }

        return _default.HandleAsync(next, context, policy, result);
    }
}
