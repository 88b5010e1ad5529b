using LlmMonitor.WebUi.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LlmMonitor.WebUi.Alerts;

/// <summary>The layout's banner while any rule fires, for those who may read the dashboard (not on the sign-in page).</summary>
public sealed class FiringBannerViewComponent(FiringRules firing, IAuthorizationService auth) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (!(await auth.AuthorizeAsync(UserClaimsPrincipal, HttpContext, AdminAuth.Policy)).Succeeded)
        {
            return Content("");
        }

        var (named, total) = await firing.ReadAsync(HttpContext.RequestAborted);
        return total == 0 ? Content("") : View(new FiringBanner(named, total));
    }
}

public sealed record FiringBanner(IReadOnlyList<FiringRule> Named, int Total);
