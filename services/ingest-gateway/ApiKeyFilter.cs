using System.Security.Cryptography;
using System.Text;
using LlmMonitor.Configuration;
using Microsoft.Extensions.Options;

namespace LlmMonitor.IngestGateway;

/// <summary>When INGEST_API_KEYS is set, requires one of the keys as a Bearer token or in X-API-Key.</summary>
public sealed class ApiKeyFilter(IOptions<MonitorOptions> options) : IEndpointFilter
{
    private readonly byte[][] _keys = options.Value.ApiKeys.Select(Encoding.UTF8.GetBytes).ToArray();

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (_keys.Length == 0 || IsKnown(PresentedKey(context.HttpContext.Request)))
        {
            return next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return ValueTask.FromResult<object?>(Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Missing or invalid API key",
            detail: "Send one of the keys in INGEST_API_KEYS as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'."));
    }

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-API-Key", out var apiKey) && !string.IsNullOrEmpty(apiKey))
        {
            return apiKey.ToString();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    private bool IsKnown(string? presented)
    {
        if (presented is null)
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(presented);
        var match = false;
        foreach (var key in _keys)
        {
            match |= CryptographicOperations.FixedTimeEquals(bytes, key);
        }

        return match;
    }
}
