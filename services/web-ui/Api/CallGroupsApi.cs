using LlmMonitor.WebUi.Queries;
using Microsoft.AspNetCore.Mvc;

namespace LlmMonitor.WebUi.Api;

/// <summary>Sessions, traces and end users: the calls that share a session_id, a trace_id or a user_id.</summary>
public static class CallGroupsApi
{
    public static RouteGroupBuilder MapCallGroupsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/sessions", SessionsAsync).WithTags("Sessions")
            .WithSummary("Sessions whose latest call is in the window, newest first")
            .WithDescription("The last `hours` hours up to now, or [start_time, end_time). Each session's numbers are the totals of all its calls; user_id keeps the sessions whose user (that of the latest call naming one) it is, model those with a call to that model. page_size ≤ 500.");
        // A session id is any text: the rest of the path (URL-encoded), slashes included.
        api.MapGet("/sessions/{**session_id}", SessionAsync).WithTags("Sessions")
            .WithSummary("One session's calls in time order (without input/output) and their totals")
            .WithDescription($"At most {CallGroupQueries.MaxCalls} calls are listed (the first); the totals count them all.");
        api.MapGet("/traces/{trace_id}", TraceAsync).WithTags("Sessions")
            .WithSummary("One trace's calls in time order, with span_id and parent_span_id, and their totals");
        api.MapGet("/users", UsersAsync).WithTags("Sessions")
            .WithSummary("End users with calls in the window, highest cost first");
        return api;
    }

    private static Task<IResult> SessionsAsync(CallGroupQueries queries, TimeProvider clock, CancellationToken ct,
        int? hours = 24, int page = 1, [FromQuery(Name = "page_size")] int pageSize = 50,
        [FromQuery(Name = "user_id")] string? userId = null, string? model = null,
        [FromQuery(Name = "start_time")] DateTimeOffset? startTime = null, [FromQuery(Name = "end_time")] DateTimeOffset? endTime = null) =>
        PageAsync(clock, hours, startTime, endTime, page, pageSize,
            window => queries.SessionsAsync(window, ApiParameters.Blank(userId), ApiParameters.Blank(model), page, pageSize, ct));

    private static async Task<IResult> SessionAsync(CallGroupQueries queries, [FromRoute(Name = "session_id")] string sessionId, CancellationToken ct) =>
        await queries.SessionAsync(sessionId, ct) is { } session
            ? TypedResults.Ok(session)
            : TypedResults.Problem(statusCode: 404, title: "No call with this session_id");

    private static async Task<IResult> TraceAsync(CallGroupQueries queries, [FromRoute(Name = "trace_id")] string traceId, CancellationToken ct) =>
        await queries.TraceAsync(traceId, ct) is { } trace
            ? TypedResults.Ok(trace)
            : TypedResults.Problem(statusCode: 404, title: "No call with this trace_id");

    private static Task<IResult> UsersAsync(CallGroupQueries queries, TimeProvider clock, CancellationToken ct,
        int? hours = 24, int page = 1, [FromQuery(Name = "page_size")] int pageSize = 50,
        [FromQuery(Name = "start_time")] DateTimeOffset? startTime = null, [FromQuery(Name = "end_time")] DateTimeOffset? endTime = null) =>
        PageAsync(clock, hours, startTime, endTime, page, pageSize, window => queries.UsersAsync(window, page, pageSize, ct));

    /// <summary>A page of a list over a time window: 400 naming each bad parameter, else the page.</summary>
    private static async Task<IResult> PageAsync<T>(TimeProvider clock, int? hours, DateTimeOffset? startTime, DateTimeOffset? endTime,
        int page, int pageSize, Func<TimeWindow, Task<T>> read)
    {
        var errors = new Dictionary<string, string[]>();
        ApiParameters.CheckPage(page, pageSize, errors);
        var window = ApiParameters.Window(hours, startTime, endTime, clock.GetUtcNow(), errors);
        return window is null || errors.Count > 0 ? TypedResults.ValidationProblem(errors) : TypedResults.Ok(await read(window));
    }
}
