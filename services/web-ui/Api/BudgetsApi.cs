using LlmMonitor.Alerts.Definitions;
using LlmMonitor.Alerts.Reads;
using LlmMonitor.Alerts.Storage;
using LlmMonitor.WebUi.Alerts;
using LlmMonitor.WebUi.Auth;
using Microsoft.AspNetCore.Mvc;

namespace LlmMonitor.WebUi.Api;

/// <summary>Budgets: readable like the read API (one budget with its spend in the current period); edited by the admin only.</summary>
public static class BudgetsApi
{
    public const int MaxSpendLimit = 1000;

    public static RouteGroupBuilder MapBudgetsApi(this RouteGroupBuilder api)
    {
        var budgets = api.MapGroup("/budgets").WithTags("Budgets");
        budgets.MapGet("", ListAsync)
            .WithSummary("Every budget (without spend)").Produces<IReadOnlyList<BudgetView>>();
        budgets.MapGet("/{id:long}", GetAsync)
            .WithSummary("One budget with its spend in the current period (UTC day or month)")
            .WithDescription("spend lists the spend_limit values with the highest spend (default 100, at most 1000; without scope.per, one entry with key null); spend_keys counts every value with spend.")
            .Produces<BudgetView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        budgets.MapPost("", CreateAsync).AdminEdit()
            .WithSummary("Create a budget: notify once per period at each percent of limit_usd (default 50, 80, 100)")
            .WithDescription("scope: model, tag (key:value) and per (a tag key such as user_id: each value has a budget of its own), all optional. period: day or month (UTC).")
            .Accepts<BudgetBody>("application/json").Produces<BudgetView>(StatusCodes.Status201Created).ProducesValidationProblem();
        budgets.MapPut("/{id:long}", UpdateAsync).AdminEdit()
            .WithSummary("Replace a budget; a change of scope, period or limit starts the period's notifications afresh")
            .Accepts<BudgetBody>("application/json").Produces<BudgetView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        budgets.MapDelete("/{id:long}", DeleteAsync).AdminEdit()
            .WithSummary("Delete a budget").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static IResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No budget with this id");

    private static async Task<IResult> ListAsync(BudgetStore store, HttpContext http, CancellationToken ct)
    {
        var full = await EditAccess.AllowedAsync(http);
        return TypedResults.Ok((await store.ListAsync(ct)).Select(b => BudgetView.Of(b, full)).ToList());
    }

    private static async Task<IResult> GetAsync(long id, BudgetStore store, BudgetSpendReader spend, TimeProvider clock, HttpContext http, CancellationToken ct,
        [FromQuery(Name = "spend_limit")] int spendLimit = 100)
    {
        if (spendLimit is < 1 or > MaxSpendLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["spend_limit"] = [$"must be between 1 and {MaxSpendLimit}"] });
        }

        if (await store.GetAsync(id, ct) is not { } budget)
        {
            return NotFound();
        }

        var period = budget.Definition.Period.Holding(clock.GetUtcNow());
        var spent = await spend.ReadAsync(budget.Definition.Scope, period.Start, period.End, atLeast: 0, ct);
        return TypedResults.Ok(BudgetView.Of(budget, await EditAccess.AllowedAsync(http)).WithSpend(period, spent, spendLimit));
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, BudgetStore store, CancellationToken ct)
    {
        var (budget, refusal) = await JsonBody.ReadValidAsync<BudgetBody, BudgetDefinition>(request, [], ct);
        if (budget is null)
        {
            return refusal!;
        }

        var created = await store.CreateAsync(budget, ct);
        return TypedResults.Created($"/api/budgets/{created.Id}", BudgetView.Of(created, fullUrls: true));
    }

    private static async Task<IResult> UpdateAsync(long id, HttpRequest request, BudgetStore store, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } stored)
        {
            return NotFound();
        }

        var (budget, refusal) = await JsonBody.ReadValidAsync<BudgetBody, BudgetDefinition>(request, stored.Definition.Channels, ct);
        if (budget is null)
        {
            return refusal!;
        }

        var updated = await store.UpdateAsync(id, budget, stored.Definition.CountsDifferently(budget), ct);
        return updated is null ? NotFound() : TypedResults.Ok(BudgetView.Of(updated, fullUrls: true));
    }

    private static async Task<IResult> DeleteAsync(long id, BudgetStore store, CancellationToken ct) =>
        await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : NotFound();
}
