using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Alerts.Notifications;
using LlmMonitor.Alerts.Storage;
using LlmMonitor.WebUi.Alerts;
using LlmMonitor.WebUi.Auth;

namespace LlmMonitor.WebUi.Api;

/// <summary>Alert rules: readable like the read API; created, changed, deleted and tested by the admin only.</summary>
public static class AlertsApi
{
    public const int MaxHistory = 1000;

    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder api)
    {
        var alerts = api.MapGroup("/alerts").WithTags("Alerts");
        alerts.MapGet("", ListAsync)
            .WithSummary("Every alert rule, with its state (firing or ok) and latest value")
            .Produces<IReadOnlyList<AlertRuleView>>();
        alerts.MapGet("/{id:long}", GetAsync)
            .WithSummary("One alert rule").Produces<AlertRuleView>().ProducesProblem(StatusCodes.Status404NotFound);
        alerts.MapGet("/{id:long}/events", EventsAsync)
            .WithSummary("The rule's changes of state, newest first, and whether each channel took the notification")
            .Produces<IReadOnlyList<AlertEventView>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        alerts.MapPost("", CreateAsync).AdminEdit()
            .WithSummary("Create a rule: fire when the metric over the last window_minutes is above or below the threshold")
            .WithDescription("metric: error_rate (percent), cost_usd, p95_latency_ms, requests, total_tokens. window_minutes 1-1440. filter.tag is key:value. Channels: webhook (JSON, signed with the secret) or slack (incoming webhook).")
            .Accepts<AlertRuleBody>("application/json").Produces<AlertRuleView>(StatusCodes.Status201Created).ProducesValidationProblem();
        alerts.MapPut("/{id:long}", UpdateAsync).AdminEdit()
            .WithSummary("Replace a rule; a channel sent without secret keeps the secret it had (same type and URL), \"\" removes it")
            .Accepts<AlertRuleBody>("application/json").Produces<AlertRuleView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        alerts.MapDelete("/{id:long}", DeleteAsync).AdminEdit()
            .WithSummary("Delete a rule with its history").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        alerts.MapPost("/{id:long}/test", TestAsync).AdminEdit()
            .WithSummary("Send a test notification (state \"test\") to each channel now, once, and say what each answered")
            .Produces<AlertTestView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static IResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No alert rule with this id");

    private static async Task<IResult> ListAsync(AlertRuleStore store, HttpContext http, CancellationToken ct)
    {
        var full = await EditAccess.AllowedAsync(http);
        return TypedResults.Ok((await store.ListAsync(ct)).Select(r => AlertRuleView.Of(r, full)).ToList());
    }

    private static async Task<IResult> GetAsync(long id, AlertRuleStore store, HttpContext http, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } rule ? TypedResults.Ok(AlertRuleView.Of(rule, await EditAccess.AllowedAsync(http))) : NotFound();

    private static async Task<IResult> EventsAsync(long id, AlertHistory history, CancellationToken ct, int limit = 100)
    {
        if (limit is < 1 or > MaxHistory)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"must be between 1 and {MaxHistory}"] });
        }

        return await history.ReadAsync(id, limit, ct) is { } events ? TypedResults.Ok(events.Select(AlertEventView.Of).ToList()) : NotFound();
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, AlertRuleStore store, CancellationToken ct)
    {
        var (rule, refusal) = await JsonBody.ReadValidAsync<AlertRuleBody, AlertDefinition>(request, [], ct);
        if (rule is null)
        {
            return refusal!;
        }

        var created = await store.CreateAsync(rule, ct);
        return TypedResults.Created($"/api/alerts/{created.Id}", AlertRuleView.Of(created, fullUrls: true));
    }

    private static async Task<IResult> UpdateAsync(long id, HttpRequest request, AlertRuleStore store, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } stored)
        {
            return NotFound();
        }

        var (rule, refusal) = await JsonBody.ReadValidAsync<AlertRuleBody, AlertDefinition>(request, stored.Definition.Channels, ct);
        if (rule is null)
        {
            return refusal!;
        }

        return await store.UpdateAsync(id, rule, ct) is { } updated ? TypedResults.Ok(AlertRuleView.Of(updated, fullUrls: true)) : NotFound();
    }

    private static async Task<IResult> DeleteAsync(long id, AlertRuleStore store, CancellationToken ct) =>
        await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : NotFound();

    private static async Task<IResult> TestAsync(long id, AlertRuleStore store, NotificationBodies bodies, NotificationSender sender, TimeProvider clock,
        CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } rule)
        {
            return NotFound();
        }

        var channels = rule.Definition.Channels;
        if (channels.Count == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["channels"] = ["the rule has no channel to send to"] });
        }

        var body = bodies.ForAlert(rule.Id, rule.Definition, NotificationBodies.Test, rule.Status.LastValue, clock.GetUtcNow());
        var results = await Task.WhenAll(channels.Select(async c =>
        {
            var sent = await sender.SendAsync(new OutgoingNotification(c, body.For(c.Type)), ct);
            return new TestResultView(c.TypeName, c.Url, sent.Delivered, sent.Status, sent.Error);
        }));
        return TypedResults.Ok(new AlertTestView(results));
    }
}
