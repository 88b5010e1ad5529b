namespace LlmMonitor.WebUi.Auth;

/// <summary>
/// Refuses an edit that a page of another site had a browser send. Without ADMIN_PASSWORD a local browser passes
/// <see cref="AdminOrLocal"/>, and a plain cross-site POST needs no CORS preflight; browsers name the page's origin in
/// the Origin header, which must then be this host.
/// </summary>
public sealed class SameOriginOnly : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var origin = request.Headers.Origin.ToString();
        var sameHost = Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
        return origin.Length == 0 || sameHost
            ? next(context)
            : ValueTask.FromResult<object?>(TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Cross-site request refused",
                detail: "The Origin header names another site."));
    }
}
