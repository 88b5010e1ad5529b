using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LlmMonitor.WebUi.Auth;

/// <summary>HTTP Basic for API clients: <c>curl -u admin:$ADMIN_PASSWORD …</c>.</summary>
public sealed class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AdminCredentials admin,
    SignInThrottle throttle)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Basic";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !SchemeName.Equals(header.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter ?? ""));
        }
        catch (FormatException)
        {
            return Task.FromResult(Failed("Malformed Basic credentials"));
        }

        var colon = decoded.IndexOf(':');
        if (colon < 0 || !admin.Check(decoded[..colon], decoded[(colon + 1)..]))
        {
            return Task.FromResult(Failed("Wrong user name or password"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, AdminCredentials.UserName)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    private AuthenticateResult Failed(string reason)
    {
        if (admin.Required)
        {
            throttle.RecordFailure(Context);
        }

        return AuthenticateResult.Fail(reason);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"LLM Monitor\", charset=\"UTF-8\"";
        return Task.CompletedTask;
    }
}
