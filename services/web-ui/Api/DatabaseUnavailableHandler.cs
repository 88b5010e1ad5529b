using LlmMonitor.Storage.Resilience;
using Microsoft.AspNetCore.Diagnostics;

namespace LlmMonitor.WebUi.Api;

/// <summary>A database that is down or unreachable answers 503 with Retry-After, not a 500.</summary>
public sealed class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (!PostgresFailures.IsUnreachable(exception) || http.Response.HasStarted)
        {
            return false;
        }

        log.LogWarning(exception, "{Method} {Path} answered 503: the database is unreachable", http.Request.Method, http.Request.Path);
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = { Status = 503, Title = "The database is unreachable", Detail = "PostgreSQL did not answer; try again shortly." },
        });
    }
}
