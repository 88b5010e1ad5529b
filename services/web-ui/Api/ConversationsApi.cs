using LlmMonitor.WebUi.Queries;
using Microsoft.AspNetCore.Mvc;

namespace LlmMonitor.WebUi.Api;

public static class ConversationsApi
{
    public static RouteGroupBuilder MapConversationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/conversations", ListAsync).WithTags("Conversations")
            .WithSummary("Stored calls, newest first, with the exact total of the filter")
            .WithDescription("Filters: model, status (success|error), tag=key:value, search (in model and error message), start_time/end_time. page_size ≤ 500. Items carry every field but input/output.");
        api.MapGet("/conversations/{event_id:guid}", GetAsync).WithTags("Conversations")
            .WithSummary("One call with its input and output");
        api.MapGet("/export", ExportAsync).WithTags("Conversations")
            .WithSummary("Every call of the filter, streamed as CSV or a JSON array")
            .Produces(200, contentType: "text/csv").Produces(200, contentType: "application/json");
        return api;
    }

    private static async Task<IResult> ListAsync(ConversationQueries queries, CancellationToken ct,
        int page = 1, [FromQuery(Name = "page_size")] int pageSize = 100,
        string? model = null, string? status = null, string? tag = null, string? search = null,
        [FromQuery(Name = "start_time")] DateTimeOffset? startTime = null, [FromQuery(Name = "end_time")] DateTimeOffset? endTime = null)
    {
        var errors = new Dictionary<string, string[]>();
        ApiParameters.CheckPage(page, pageSize, errors);
        var filter = ApiParameters.Filter(model, status, tag, search, startTime, endTime, errors);
        return filter is null || errors.Count > 0
            ? TypedResults.ValidationProblem(errors)
            : TypedResults.Ok(await queries.ListAsync(filter, page, pageSize, ct));
    }

    private static async Task<IResult> GetAsync(ConversationQueries queries, [FromRoute(Name = "event_id")] Guid eventId, CancellationToken ct) =>
        await queries.GetAsync(eventId, ct) is { } conversation
            ? TypedResults.Ok(conversation)
            : TypedResults.Problem(statusCode: 404, title: "No call with this event_id");

    private static async Task ExportAsync(HttpContext http, ExportWriter export, TimeProvider clock, CancellationToken ct,
        string format = "csv", string? model = null, string? status = null, string? tag = null, string? search = null,
        [FromQuery(Name = "start_time")] DateTimeOffset? startTime = null, [FromQuery(Name = "end_time")] DateTimeOffset? endTime = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (format is not ("csv" or "json"))
        {
            errors["format"] = ["must be csv or json"];
        }

        var filter = ApiParameters.Filter(model, status, tag, search, startTime, endTime, errors);
        if (filter is null || errors.Count > 0)
        {
            await TypedResults.ValidationProblem(errors).ExecuteAsync(http);
            return;
        }

        var json = format == "json";
        http.Response.ContentType = json ? "application/json; charset=utf-8" : "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"llm-calls-{clock.GetUtcNow():yyyyMMdd-HHmmss}.{format}\"";
        await export.WriteAsync(filter, json, http.Response.Body, ct);
    }
}
