using Hangfire;
using LlmMonitor.Jobs;
using Microsoft.AspNetCore.Authentication.Cookies;
using LlmMonitor.WebUi.Auth;

namespace LlmMonitor.WebUi.Admin;

/// <summary>The pricing admin page's services (the editor behind PUT /api/pricing/{model}) and the Hangfire dashboard at /hangfire.</summary>
public static class PricingAdmin
{
    public const string DashboardPath = "/hangfire";

    /// <summary>Call after AddWebUi (it relies on the web-ui's admin sign-in).</summary>
    public static WebApplicationBuilder AddPricingAdmin(this WebApplicationBuilder builder)
    {
        builder.AddMonitorHangfireStorage();
        builder.Services.AddSingleton<PriceEditor>();
        builder.Services.AddSingleton<UnpricedModels>();
        // A signed-in browser refused by a policy gets 403, not a redirect to a page that does not exist.
        builder.Services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            o.Events.OnRedirectToAccessDenied = ctx =>
            {
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            });
        return builder;
    }

    /// <summary>Call after MapWebUi.</summary>
    public static WebApplication MapPricingAdmin(this WebApplication app)
    {
        app.MapHangfireDashboardWithAuthorizationPolicy(AdminOrLocal.Policy, DashboardPath, new DashboardOptions
        {
            AppPath = "/admin/pricing",
            DashboardTitle = "LLM Monitor jobs",
            DisplayStorageConnectionString = false,
        }, new DeferredJobStorage(() => app.Services.GetRequiredService<JobStorage>()));
        return app;
    }
}
