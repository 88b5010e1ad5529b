using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace LlmMonitor.WebUi.Auth;

/// <summary>
/// ADMIN_PASSWORD (README, Configuration): when set, browsers sign in on /login and get a cookie, API clients send HTTP Basic
/// (admin:password); requests under /api without either get 401 with a Basic challenge, pages redirect to /login.
/// When it is empty, the "admin" policy lets everyone through.
/// </summary>
public static class AdminAuth
{
    public const string Policy = "admin";
    private const string Smart = "cookie-or-basic";

    public static IHostApplicationBuilder AddAdminAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AdminCredentials>();
        builder.AddSignInThrottle();
        builder.Services.AddAuthentication(Smart)
            .AddPolicyScheme(Smart, "Cookie for browsers, Basic for API clients", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)
                || (IsApi(ctx.Request) && !ctx.Request.Cookies.ContainsKey(CookieName))
                    ? BasicAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.ExpireTimeSpan = TimeSpan.FromDays(7);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = ctx =>
                {
                    // Fetches from the dashboard's own scripts want a status, not a login page.
                    if (IsApi(ctx.Request) || ctx.Request.Headers["X-Requested-With"] == "fetch")
                    {
                        ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        return Task.CompletedTask;
                    }

                    ctx.Response.Redirect(ctx.RedirectUri);
                    return Task.CompletedTask;
                };
            })
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.RequireAssertion(ctx =>
        {
            var admin = ((HttpContext)ctx.Resource!).RequestServices.GetRequiredService<AdminCredentials>();
            return !admin.Required || ctx.User.Identity?.IsAuthenticated == true;
        }));
        builder.Services.Configure<AuthorizationOptions>(AdminOrLocal.AddPolicy);
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ForbidWithoutPassword>();
        return builder;
    }

    public const string CookieName = "llmmon_admin";

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");
}
