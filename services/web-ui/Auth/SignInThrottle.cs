using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace LlmMonitor.WebUi.Auth;

/// <summary>
/// Failed sign-ins (login form or HTTP Basic) per client address: each failure takes a permit of a sliding-window
/// limiter (so no more than the limit fail within any window, not per calendar window); once an address has none
/// left, its sign-in attempts are refused, even with the right password, until its failures age out of the window.
/// Successful sign-ins take nothing.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _failures;
    private readonly TimeSpan _window;

    public SignInThrottle(IOptions<SignInThrottleOptions> options)
    {
        var limits = options.Value;
        _window = limits.Window;
        _failures = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetSlidingWindowLimiter(address, _ =>
            new SlidingWindowRateLimiterOptions
            {
                PermitLimit = limits.Failures, Window = limits.Window, SegmentsPerWindow = 10, QueueLimit = 0, AutoReplenishment = true,
            }));
    }

    /// <summary>Whether this address has used up its failures; if so, how long to wait at most (a whole window).</summary>
    public bool IsLockedOut(HttpContext http, out TimeSpan retryAfter)
    {
        // Zero permits: asks whether any are left without taking one.
        using var lease = _failures.AttemptAcquire(Client(http), permitCount: 0);
        retryAfter = _window; // a sliding window tells no time: its oldest failure ages out within one window

        return !lease.IsAcquired;
    }

    public void RecordFailure(HttpContext http) => _failures.AttemptAcquire(Client(http)).Dispose();

    public void Dispose() => _failures.Dispose();

    private static IPAddress Client(HttpContext http) => http.Connection.RemoteIpAddress ?? IPAddress.None;
}

/// <summary>
/// Defaults are the documented ones (5 failures in 5 minutes). The "SignInThrottle" configuration section exists
/// so that tests need not wait 5 minutes; it is deliberately not a documented setting.
/// </summary>
public sealed class SignInThrottleOptions
{
    public int Failures { get; set; } = 5;
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);
}

public static class SignInThrottling
{
    public static IHostApplicationBuilder AddSignInThrottle(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SignInThrottleOptions>().Bind(builder.Configuration.GetSection("SignInThrottle"));
        builder.Services.AddSingleton<SignInThrottle>();
        return builder;
    }

    /// <summary>Before authentication: a locked-out address gets 429 for every sign-in attempt.</summary>
    public static IApplicationBuilder UseSignInThrottle(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var throttle = http.RequestServices.GetRequiredService<SignInThrottle>();
        if (IsSignInAttempt(http.Request) && throttle.IsLockedOut(http, out var retryAfter))
        {
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await http.Response.WriteAsync("Too many failed sign-ins from this address; try again later.");
            return;
        }

        await next(http);
    });

    private static bool IsSignInAttempt(HttpRequest request) =>
        (HttpMethods.IsPost(request.Method) && request.Path.Equals("/login", StringComparison.OrdinalIgnoreCase))
        || request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);
}
