using Microsoft.AspNetCore.Authorization;

namespace LlmMonitor.WebUi.Auth;

/// <summary>Whether a request may edit alerts and budgets (<see cref="AdminOrLocal"/>); only such a request sees channel URLs whole.</summary>
public static class EditAccess
{
    public static async Task<bool> AllowedAsync(HttpContext http) =>
        (await http.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(http.User, http, AdminOrLocal.Policy)).Succeeded;

    /// <summary>Admin only, and from a page of this site (<see cref="SameOriginOnly"/>).</summary>
    public static RouteHandlerBuilder AdminEdit(this RouteHandlerBuilder endpoint) => endpoint
        .RequireAuthorization(AdminOrLocal.Policy)
        .AddEndpointFilter<SameOriginOnly>()
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden);
}
