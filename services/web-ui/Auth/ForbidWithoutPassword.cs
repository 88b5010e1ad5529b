using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace LlmMonitor.WebUi.Auth;

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
