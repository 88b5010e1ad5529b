using System.Security.Claims;
using LlmMonitor.WebUi.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LlmMonitor.WebUi.Controllers;

/// <summary>The sign-in page for browsers when ADMIN_PASSWORD is set.</summary>
[AllowAnonymous]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class AccountController(AdminCredentials admin, SignInThrottle throttle) : Controller
{
    [HttpGet("/login")]
    public IActionResult Login(string? returnUrl = null) =>
        admin.Required ? View(new LoginForm { ReturnUrl = returnUrl }) : LocalRedirect("/");

    [HttpPost("/login")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Login([FromForm] LoginForm form)
    {
        if (!admin.Required)
        {
            return LocalRedirect("/");
        }

        if (!admin.Check(AdminCredentials.UserName, form.Password))
        {
            throttle.RecordFailure(HttpContext);
            form.Error = "That password is not right.";
            form.Password = null;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return View(form);
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, AdminCredentials.UserName)], CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return LocalRedirect(Url.IsLocalUrl(form.ReturnUrl) ? form.ReturnUrl : "/");
    }

    [HttpPost("/logout")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Logout()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect(admin.Required ? "/login" : "/");
    }
}

public sealed class LoginForm
{
    public string? Password { get; set; }
    public string? ReturnUrl { get; set; }
    public string? Error { get; set; }
}
